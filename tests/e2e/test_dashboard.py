"""The committee's figures: by county and township from referral, stage performance from notification; the
same figures as CSV; another area's are as unknown as missing ones."""

import csv
import io

from openpyxl import load_workbook

from shared.domain.access import Role
from tests.auth import bearer
from tests.e2e.test_thin_path import follow
from tests.factories import report_body
from tests.waiting import eventually

COMMITTEE = bearer(Role.COMMITTEE, "1407", "committee-jinzhong")
TOWNSHIP = "140725103"  # 寿阳县平头镇


def _township(figures: dict) -> dict:
    rows = [place for place in figures["places"] if place["township"] == TOWNSHIP]
    return rows[0] if rows else {"open": 0, "received": 0, "repeat_reports": 0, "acknowledge_hours_p50": None}


async def test_a_report_and_its_acknowledgement_show_in_the_committees_figures(system, http):
    dashboard = f"{system.urls['referral']}/v1/dashboard"
    performance = f"{system.urls['notification']}/v1/stage-performance"
    before = _township((await http.get(dashboard, params={"area": "1407"}, headers=COMMITTEE)).json())
    stages_before = (await http.get(performance, params={"area": "140725"}, headers=COMMITTEE)).json()

    body = report_body(child={"division_code": TOWNSHIP, "age": 12})
    report_id = (await http.post(f"{system.urls['intake']}/v1/reports", json=body)).json()["report_id"]
    referral, _ = await follow(http, system, report_id)
    station = bearer(Role.STATION, TOWNSHIP, "station-pingtou")
    acknowledged = await http.post(
        f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}/acknowledge", json={}, headers=station
    )
    assert acknowledged.status_code == 200

    figures = (await http.get(dashboard, params={"area": "1407", "days": 7}, headers=COMMITTEE)).json()
    after = _township(figures)
    assert (after["open"], after["received"]) == (before["open"] + 1, before["received"] + 1)
    assert after["township_name"] == "平头镇" and after["county_name"] == "寿阳县"
    assert after["acknowledge_hours_p50"] is not None and after["acknowledge_hours_p50"] < 1
    county = [place for place in figures["places"] if place["county"] == "140725" and place["township"] is None]
    assert county and county[0]["open"] >= after["open"]
    assert sum(day["received"] for day in figures["trend"]) >= 1

    def acknowledge_on_time(rows):
        return sum(row["on_time"] for row in rows if row["stage"] == "acknowledge" and row["township"] is None)

    async def stages_after():
        rows = (await http.get(performance, params={"area": "140725"}, headers=COMMITTEE)).json()
        return rows if acknowledge_on_time(rows) == acknowledge_on_time(stages_before) + 1 else None

    rows = await eventually(stages_after, 30, "the acknowledgement to count as on time")
    assert all(row["on_time_rate"] is None or 0 <= row["on_time_rate"] <= 1 for row in rows)
    township = [row for row in rows if row["township"] == TOWNSHIP and row["stage"] == "acknowledge"]
    county = [row for row in rows if row["township"] is None and row["stage"] == "acknowledge"]
    assert township and county and county[0]["on_time"] >= township[0]["on_time"] >= 1


async def test_the_figures_export_as_csv_and_stay_inside_the_committees_area(system, http):
    exported = await http.get(
        f"{system.urls['referral']}/v1/dashboard.csv", params={"area": "1407", "days": 30}, headers=COMMITTEE
    )
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert rows and {"县（区）", "乡镇（街道）/承办单位", "在办", "签收用时P90（小时）"} <= set(rows[0])
    assert all(row["区划代码"].startswith("1407") for row in rows)
    totals = [row for row in rows if row["乡镇（街道）/承办单位"] == "全县合计"]
    assert len(totals) == len({row["县（区）"] for row in rows})  # one total per county, its centre told apart

    workbook = await http.get(
        f"{system.urls['referral']}/v1/dashboard.xlsx", params={"area": "1407", "days": 30}, headers=COMMITTEE
    )
    assert workbook.status_code == 200 and "spreadsheetml" in workbook.headers["content-type"]
    sheets = load_workbook(io.BytesIO(workbook.content))
    assert sheets.sheetnames == ["各县（区）", "乡镇（街道）"]
    assert sheets["各县（区）"].max_row == len(totals) + 1

    elsewhere = bearer(Role.COMMITTEE, "4420", "committee-zhongshan")
    for url in (f"{system.urls['referral']}/v1/dashboard", f"{system.urls['notification']}/v1/stage-performance"):
        assert (await http.get(url, params={"area": "1407"}, headers=elsewhere)).status_code == 404
    station = bearer(Role.STATION, TOWNSHIP, "station-pingtou")
    assert (
        await http.get(f"{system.urls['referral']}/v1/dashboard", params={"area": "1407"}, headers=station)
    ).status_code == 403


async def test_a_county_centre_sees_its_stations_load_and_no_other_county(system, http):
    centre = bearer(Role.COUNTY_CENTRE, "140725", "centre-shouyang")
    body = report_body(child={"division_code": TOWNSHIP, "age": 9})
    report_id = (await http.post(f"{system.urls['intake']}/v1/reports", json=body)).json()["report_id"]
    await follow(http, system, report_id)

    load = await http.get(f"{system.urls['referral']}/v1/counties/140725/load", headers=centre)
    assert load.status_code == 200
    rows = {row["code"]: row for row in load.json()}
    assert rows["140725"]["kind"] == "county_centre" and rows["140725"]["name"].endswith("救助保护中心")
    assert rows[TOWNSHIP]["open"] >= rows[TOWNSHIP]["unacknowledged"] >= 1

    elsewhere = await http.get(f"{system.urls['referral']}/v1/counties/140724/load", headers=centre)
    assert elsewhere.status_code == 404
    bad = await http.get(f"{system.urls['referral']}/v1/counties/14072/load", headers=centre)
    assert bad.status_code == 422

    on_time = await http.get(f"{system.urls['notification']}/v1/on-time", params={"area": "140725"}, headers=centre)
    assert on_time.status_code == 200
    assert {"rate", "previous_rate", "change", "days"} <= set(on_time.json())

    stuck = f"{system.urls['intake']}/v1/reports/stuck/count"
    counted = await http.get(stuck, params={"area": "1407"}, headers=COMMITTEE)
    assert counted.status_code == 200 and counted.json()["stuck"] >= 0
    assert (await http.get(stuck, params={"area": "1407"}, headers=centre)).status_code == 404
    station = bearer(Role.STATION, TOWNSHIP, "station-pingtou")
    assert (await http.get(stuck, params={"area": "140725"}, headers=station)).status_code == 403
