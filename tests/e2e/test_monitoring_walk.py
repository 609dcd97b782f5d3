"""Two cases walked through what follows the assessment, on the running system.

A child's guardianship is rated 较差: the child is under monitoring, a pairing helper is named, the follow-up visit
that was due is missed and climbs to the county centre, the station hands the next visit to the village's child
director, who records it on a phone-size page; a new assessment of 良好 ends the monitoring and its clocks.
Another child is rated 危险: the county centre is told at once, decides, and records the temporary guardianship."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.async_api import expect

from shared.domain.access import Role
from tests.auth import bearer, token
from tests.e2e.accessibility import violations
from tests.e2e.browser import SCREENSHOTS, chromium, open_page, overflows_sideways
from tests.e2e.test_thin_path import follow
from tests.factories import report_body
from tests.waiting import eventually

CHINA = ZoneInfo("Asia/Shanghai")
STATION, CENTRE = "140724104", "140724"
STATION_WORKER = bearer(Role.STATION, STATION, "station-monitoring", name="李督导")
CENTRE_WORKER = bearer(Role.COUNTY_CENTRE, CENTRE, "centre-monitoring", name="周主任")


async def _case(http, system, village: str, name: str, days_ago: int) -> dict:
    received = datetime.now(CHINA) - timedelta(days=days_ago)
    body = report_body(
        child={"division_code": village, "age": 10, "name": name},
        concerns=["neglect"],
        received_at=received.isoformat(),
    )
    filed = await http.post(f"{system.urls['intake']}/v1/reports", json=body)
    assert filed.status_code == 201, filed.text
    referral, _ = await follow(http, system, filed.json()["report_id"])
    assert referral["assignee_code"] == STATION
    return referral


async def _deadlines(http, system, referral_id: str) -> dict[str, str]:
    answer = await http.get(f"{system.urls['notification']}/v1/deadlines", params={"referral_id": referral_id})
    return {row["stage"]: row["status"] for row in answer.json()}


async def _notices(http, system, referral_id: str, kind: str, receiver: str) -> list[dict]:
    answer = await http.get(f"{system.urls['notification']}/v1/notifications", params={"referral_id": referral_id})
    return [one for one in answer.json() if one["kind"] == kind and one["receiver_code"] == receiver]


async def test_a_child_rated_poor_is_monitored_until_a_good_assessment(system, http):
    referral = await _case(http, system, "140724104200", "韩小松", days_ago=25)  # 大寨村, which has a director
    case_id, number = referral["referral_id"], referral["case_number"]
    steps = f"{system.urls['referral']}/v1/referrals/{case_id}"

    async def act(path: str, body: dict, headers: dict = STATION_WORKER) -> dict:
        answer = await http.post(f"{steps}/{path}", json=body, headers=headers)
        assert answer.status_code == 200, answer.text
        return answer.json()

    await act("acknowledge", {})
    assessed_at = datetime.now(CHINA) - timedelta(days=20)  # its first visit was due six days ago
    assessed = await act("assessments", {"level": "poor", "at": assessed_at.isoformat(), "notes": "祖父母年迈"})
    assert (assessed["status"], assessed["monitoring_level"]) == ("monitoring", "poor")

    async def missed_visit_escalated():
        breaches = await _notices(http, system, case_id, "breach", CENTRE)
        return breaches if any("随访" in one["subject"] for one in breaches) else None

    await eventually(missed_visit_escalated, 60, "the missed visit climbing to the county centre")
    assert await _notices(http, system, case_id, "monitoring", CENTRE), "the centre is told of a 较差 child"
    named_at = (assessed_at + timedelta(days=2)).isoformat()
    await act("helpers", {"name": "张丽华", "phone": "13800138000", "at": named_at})
    await act("tasks", {"kind": "follow_up_visit"})

    async with chromium() as browser:
        director = token(Role.VILLAGE, "140724104200", "village-walk", name="贾玉兰")
        page = await open_page(browser, f"{system.urls['referral']}/pages/workbench.html", director, phone=True)
        card = page.locator(f"a.card[data-referral='{case_id}']")
        await expect(card).to_contain_text(number)
        await card.click()
        await page.locator(".case-actions a", has_text="记录随访").click()
        await page.fill("#f-notes", "孩子在家，帮扶人已上门")
        await page.locator("#form-follow_up button[type=submit]").click()
        await expect(page.locator("#case-records")).to_contain_text("已提交")
        assert not await overflows_sideways(page)
        assert await violations(page) == []
        await page.screenshot(path=SCREENSHOTS / "monitoring-walk-director.png", full_page=True)

    async def next_visit_running():
        visits = await _visit_clocks(http, system, case_id)
        return visits if sorted(visits) == ["met", "pending"] else None

    await eventually(next_visit_running, 60, "the missed visit met late and the next one's clock")
    clocks = await _deadlines(http, system, case_id)
    assert clocks["helper"] == "met"

    ended = await act("assessments", {"level": "good", "notes": "父亲返乡照料"})
    assert (ended["status"], ended["monitoring_level"]) == ("acknowledged", None)

    async def monitoring_clocks_stopped():
        return sorted(await _visit_clocks(http, system, case_id)) == ["cancelled", "met"]

    await eventually(monitoring_clocks_stopped, 60, "the next visit's clock stopped")
    history = (await http.get(steps, headers=STATION_WORKER)).json()["history"]
    by_director = [entry for entry in history if entry["action"] == "follow_up_visit_recorded"]
    assert [entry["detail"].get("by") for entry in by_director] == ["贾玉兰"]
    view = (await http.get(f"{system.urls['intake']}/v1/reports/{referral['report_id']}")).json()
    assert {"helper_named", "follow_up_visit_recorded", "task_handed"} <= {e["what"] for e in view["timeline"]}


async def test_a_child_in_danger_is_taken_into_temporary_guardianship(system, http):
    referral = await _case(http, system, "140724104", "彭小雪", days_ago=1)
    case_id = referral["referral_id"]
    steps = f"{system.urls['referral']}/v1/referrals/{case_id}"
    assert (await http.post(f"{steps}/acknowledge", json={}, headers=STATION_WORKER)).status_code == 200
    assessed = await http.post(f"{steps}/assessments", json={"level": "dangerous"}, headers=STATION_WORKER)
    assert assessed.status_code == 200, assessed.text
    assert (assessed.json()["status"], assessed.json()["police_required"]) == ("monitoring", True)

    async def decision_clock():
        answer = await http.get(f"{system.urls['notification']}/v1/deadlines", params={"referral_id": case_id})
        rows = [row for row in answer.json() if row["stage"] == "guardianship_decision"]
        return rows if rows and rows[0]["status"] == "pending" else None

    [clock] = await eventually(decision_clock, 60, "the county centre's decision clock")
    assert clock["assignee_code"] == CENTRE
    started_at, due_at = datetime.fromisoformat(clock["starts_at"]), datetime.fromisoformat(clock["due_at"])
    assert due_at - started_at == timedelta(hours=24)
    told = await eventually(lambda: _notices(http, system, case_id, "monitoring", CENTRE), 60, "the centre told")
    assert told[0]["subject"] == f"【监护评估危险】案件 {referral['case_number']}"  # no name of the child

    placement = {"placement": "昔阳县儿童福利院", "reason": "监护人酗酒并多次殴打儿童"}
    started = await http.post(f"{steps}/guardianship", json=placement, headers=CENTRE_WORKER)
    assert started.status_code == 200, started.text
    assert (started.json()["status"], started.json()["in_guardianship"]) == ("acknowledged", True)

    async def decided():
        return (await _deadlines(http, system, case_id)).get("guardianship_decision") == "met"

    await eventually(decided, 60, "the decision clock met")
    figures = await http.get(f"{system.urls['referral']}/v1/dashboard", params={"area": CENTRE}, headers=CENTRE_WORKER)
    assert figures.status_code == 200 and figures.json()["summary"]["in_guardianship"] >= 1, figures.text


async def _visit_clocks(http, system, referral_id: str) -> list[str]:
    answer = await http.get(f"{system.urls['notification']}/v1/deadlines", params={"referral_id": referral_id})
    return [row["status"] for row in answer.json() if row["stage"] == "follow_up_visit"]
