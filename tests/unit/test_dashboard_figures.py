"""The committee's figures as people read them: a county's total and its centre's own referrals are told apart,
the summary adds the counties' totals, the on-time rate moves against the period before, and the exports carry
Chinese headers, percentages and hours to one decimal."""

import csv
import io

from openpyxl import load_workbook

from services.notification.domain.on_time import OnTime, change
from services.referral.domain.area_figures import AreaSummary, PlaceLevel, level_of, summarise
from services.referral.entrypoints.http.dashboard_export import as_csv, as_xlsx

MONITORING_FIGURES = ("monitoring_fair", "monitoring_poor", "monitoring_dangerous", "in_guardianship")


def _place(level: PlaceLevel, township: str | None = None, **figures) -> dict:
    base = dict.fromkeys(("open", "open_p1", "unrouted", "received", "acknowledged", "repeat_reports", "declines"), 0)
    base |= dict.fromkeys(MONITORING_FIGURES, 0)
    hours = dict.fromkeys(("acknowledge_hours_p50", "acknowledge_hours_p90", "home_visit_hours_p50"), None)
    return (
        base
        | hours
        | figures
        | {
            "county": "140725",
            "county_name": "寿阳县",
            "township": township,
            "township_name": "平头镇" if township else None,
            "level": level,
            "home_visit_hours_p90": figures.get("home_visit_hours_p90"),
        }
    )


PLACES = [
    _place(PlaceLevel.COUNTY, open=5, open_p1=1, unrouted=1, received=8, acknowledged=7, acknowledge_hours_p50=2.26)
    | {"monitoring_poor": 2, "in_guardianship": 1},
    _place(PlaceLevel.CENTRE, open=2, received=3, acknowledged=3),
    _place(PlaceLevel.TOWNSHIP, "140725103", open=3, open_p1=1, received=5, acknowledged=4, home_visit_hours_p90=49.96)
    | {"monitoring_poor": 2, "in_guardianship": 1},
]


def test_a_countys_total_its_centre_and_its_townships_are_three_kinds_of_row():
    assert level_of(True, None) is PlaceLevel.COUNTY
    assert level_of(False, None) is PlaceLevel.CENTRE
    assert level_of(False, "140725103") is PlaceLevel.TOWNSHIP


def test_the_summary_adds_the_counties_totals_only():
    other = _place(PlaceLevel.COUNTY, open=4, open_p1=2, received=2, acknowledged=0) | {"county": "140781"}
    summary = summarise([*PLACES, other])
    monitoring = {"monitoring_fair": 0, "monitoring_poor": 2, "monitoring_dangerous": 0, "in_guardianship": 1}
    assert summary == AreaSummary(open=9, open_p1=3, unrouted=1, received=10, acknowledged=7, **monitoring)
    assert summary.acknowledged_rate == 0.7
    assert summarise([]).acknowledged_rate is None


def test_the_on_time_rate_moves_against_the_period_before():
    both, recent = OnTime(on_time=15, late=5), OnTime(on_time=9, late=1)
    before = both - recent
    assert (before.on_time, before.late, before.rate) == (6, 4, 0.6)
    assert round(change(recent, before), 3) == 0.3
    assert OnTime(0, 0).rate is None and change(recent, OnTime(0, 0)) is None


def test_the_csv_has_chinese_headers_labels_and_formatted_numbers():
    text = as_csv(PLACES)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["乡镇（街道）/承办单位"] for row in rows] == ["全县合计", "县未保中心（直接承办）", "平头镇"]
    assert "合计" not in rows[1]["乡镇（街道）/承办单位"]
    assert rows[0]["期间签收率"] == "87.5%" and rows[0]["签收用时中位数（小时）"] == "2.3"
    assert rows[2]["入户走访用时P90（小时）"] == "50.0" and rows[1]["签收用时中位数（小时）"] == ""
    assert rows[2]["县（区）"] == "寿阳县" and rows[2]["区划代码"] == "140725103"
    assert (
        rows[2]["监护监测中（较差）"] == "2" and rows[2]["临时监护中"] == "1" and rows[1]["监护监测中（一般）"] == "0"
    )


def test_the_workbook_has_a_sheet_per_level_with_number_formats():
    book = load_workbook(io.BytesIO(as_xlsx(PLACES)))
    assert book.sheetnames == ["各县（区）", "乡镇（街道）"]
    counties, townships = book["各县（区）"], book["乡镇（街道）"]
    headers = [cell.value for cell in counties[1]]
    assert headers[:3] == ["县（区）", "乡镇（街道）/承办单位", "在办"]
    assert counties.max_row == 2 and townships.max_row == 3
    rate = counties.cell(row=2, column=headers.index("期间签收率") + 1)
    assert rate.value == 0.875 and rate.number_format == "0.0%"
    hours = counties.cell(row=2, column=headers.index("签收用时中位数（小时）") + 1)
    assert hours.value == 2.26 and hours.number_format == "0.0"
    assert [row[1].value for row in townships.iter_rows(min_row=2)] == ["县未保中心（直接承办）", "平头镇"]
