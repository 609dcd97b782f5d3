"""The whole loop on the running system: the 12345 platform files a mandatory report about a young child; the
station acknowledges, tells the police, meets the child and closes; the operator calls the reporter back; the
platform's work order hears 签收 and 办结, signed; the reporter's receipt says 已办结."""

from shared.domain.access import Role
from tests.auth import WEBHOOK_SECRET, bearer
from tests.e2e.test_thin_path import follow
from tests.factories import report_body
from tests.receivers import HttpReceiver, http_receiver
from tests.waiting import eventually

STATION = "140724104"
PLATFORM = "jz12345-loop"
PHONE = "13944443333"
REPORTER = {"name": "王医生", "phone": PHONE, "mandatory_reporter": True, "institution_type": "hospital"}


async def test_a_report_goes_round_the_loop_back_to_the_platform_and_the_reporter(system, http):
    with http_receiver(HttpReceiver(secret=WEBHOOK_SECRET)) as platform_hooks:
        admin = bearer(Role.ADMIN, "", "admin-loop")
        entry = {"name": "晋中12345平台", "webhook_url": f"{platform_hooks.url}/hook/{PLATFORM}"}
        registered = await http.put(
            f"{system.urls['notification']}/v1/platform-clients/{PLATFORM}", json=entry, headers=admin
        )
        assert registered.status_code == 200, registered.text

        body = report_body(
            hotline_ticket_id="GD-LOOP-0001",
            child={"division_code": STATION, "age": 4},
            concerns=["guardian_abuse"],
            reporter=REPORTER,
            narrative="就诊儿童身上多处伤痕。",
        )
        platform = bearer(Role.OPERATOR, "1407", "service-account-loop", platform_client=PLATFORM)
        filed = await http.post(f"{system.urls['intake']}/v1/reports", json=body, headers=platform)
        assert filed.status_code == 201, filed.text
        report_id, receipt = filed.json()["report_id"], filed.json()["receipt_number"]

        referral, _ = await follow(http, system, report_id)
        assert (referral["priority"], referral["police_required"]) == ("P1", True)
        assert referral["case_number"].startswith("晋中-")
        steps = f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}"
        station = bearer(Role.STATION, STATION, "station-loop")
        assert (await http.post(f"{steps}/acknowledge", json={}, headers=station)).status_code == 200
        too_soon = await http.post(f"{steps}/close", json={"outcome": "resolved"}, headers=station)
        assert too_soon.status_code == 409 and set(too_soon.json()["missing"]) == {"police_notice", "contact_or_visit"}
        police = {"police_station": "大寨派出所", "police_case_number": "JZ-2026-0101"}
        assert (await http.post(f"{steps}/police-notifications", json=police, headers=station)).status_code == 200
        visit = await http.post(f"{steps}/visits", json={}, headers=station)
        assert visit.status_code == 200, visit.text
        closed = await http.post(f"{steps}/close", json={"outcome": "services_arranged"}, headers=station)
        assert closed.status_code == 200, closed.text

        async def due_callback():
            due = (await http.get(f"{system.urls['intake']}/v1/callbacks/due")).json()
            return [task for task in due if task["report_id"] == report_id]

        await eventually(due_callback, 60, "the callback task")
        callback = {"reached": True, "satisfaction": "satisfied", "notes": "报告人表示已知晓"}
        recorded = await http.post(f"{system.urls['intake']}/v1/reports/{report_id}/callback", json=callback)
        assert recorded.status_code == 204, recorded.text

        async def work_order_steps():
            told = [r for r in platform_hooks.requests if r["path"] == f"/hook/{PLATFORM}"]
            milestones = {r["body"]["work_order"]["milestone"] for r in told if "work_order" in r["body"]}
            return told if {"acknowledged", "closed"} <= milestones else None

        told = await eventually(work_order_steps, 60, "the platform's 签收 and 办结")
        assert platform_hooks.bad_signatures == 0 and len(platform_hooks.acted_on) >= 2  # signed with its key
        for request in told:
            order = request["body"]["work_order"]
            assert order["hotline_ticket_id"] == "GD-LOOP-0001" and order["case_number"] == referral["case_number"]
            assert "王医生" not in str(request["body"]) and PHONE not in str(request["body"])
        [closing] = [r["body"]["work_order"] for r in told if r["body"]["work_order"]["milestone"] == "closed"]
        assert "链接相关帮扶服务" in closing["outcome_text"]

        async def receipt_closed():
            lookup = {"receipt_number": receipt, "phone": PHONE}
            answer = await http.post(f"{system.urls['intake']}/v1/receipts/lookup", json=lookup, headers={})
            return answer.json() if answer.status_code == 200 and answer.json()["status"] == "closed" else None

        answer = await eventually(receipt_closed, 60, "the receipt saying closed")
        assert answer["status_text"] == "已办结" and "伤痕" not in str(answer)

        view = (await http.get(f"{system.urls['intake']}/v1/reports/{report_id}")).json()
        assert view["status"]["case_number"] == referral["case_number"]
        whats = [entry["what"] for entry in view["timeline"]]
        assert {"acknowledged", "police_notified", "home_visit_recorded", "closed", "callback"} <= set(whats), whats
