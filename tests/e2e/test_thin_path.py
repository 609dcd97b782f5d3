"""A hotline report becomes a township referral and its stage deadlines, over HTTP, across processes."""

from datetime import datetime, timedelta

import httpx

from shared.domain.access import Role
from shared.domain.referrals import OPENING_STAGES
from tests.auth import bearer
from tests.factories import VALID_CHILD_ID, report_body
from tests.waiting import eventually

OPENING = {stage.value for stage in OPENING_STAGES}


async def follow(http, system, report_id: str) -> tuple[dict, list[dict]]:
    async def referral():
        response = await http.get(f"{system.urls['referral']}/v1/referrals", params={"report_id": report_id})
        return response.json()

    [found] = await eventually(referral, 60, "the referral")

    async def deadlines():
        """The four every holder has (not the police's stages nor the hotline's callback)."""
        response = await http.get(
            f"{system.urls['notification']}/v1/deadlines", params={"referral_id": found["referral_id"]}
        )
        return [row for row in response.json() if row["stage"] in OPENING]

    return found, await eventually(deadlines, 60, "the deadline") if found["status"] == "assigned" else []


async def test_a_report_reaches_its_township_station_with_a_deadline(system, http):
    body = report_body(child={"division_code": "140724104", "age": 4}, concerns=["guardian_abuse"])
    response = await http.post(f"{system.urls['intake']}/v1/reports", json=body)
    assert response.status_code == 201
    report_id = response.json()["report_id"]

    referral, deadlines = await follow(http, system, report_id)
    deadline = deadlines[0]  # the earliest: acknowledgement
    assert [d["stage"] for d in deadlines] == ["acknowledge", "first_contact", "home_visit", "assessment"]

    assert referral["assignee_code"] == "140724104"
    assert referral["assignee_name"] == "晋中市昔阳县大寨镇未成年人保护工作站"
    assert (referral["priority"], referral["police_required"]) == ("P1", True)
    assert deadline["stage"] == "acknowledge"
    assert deadline["report_id"] == report_id
    due = datetime.fromisoformat(deadline["due_at"]) - datetime.fromisoformat(deadline["starts_at"])
    assert due == timedelta(minutes=30)


async def test_a_zhongshan_street_is_routed_without_a_county(system):
    body = report_body(child={"division_code": "442000001007"}, concerns=["hardship"])
    async with httpx.AsyncClient(timeout=10, headers=bearer(Role.OPERATOR, "4420", "operator-zhongshan")) as http:
        response = await http.post(f"{system.urls['intake']}/v1/reports", json=body)
        referral, deadlines = await follow(http, system, response.json()["report_id"])
    assert referral["assignee_name"] == "中山市石岐街道未成年人保护工作站"
    assert (referral["priority"], {deadline["priority"] for deadline in deadlines}) == ("P3", {"P3"})


async def test_a_report_with_only_an_address_is_kept_as_unrouted(system, http):
    body = report_body(child={"address": "山西省晋中市某村"}, concerns=["neglect"])
    response = await http.post(f"{system.urls['intake']}/v1/reports", json=body)
    assert response.status_code == 201
    referral, deadlines = await follow(http, system, response.json()["report_id"])
    assert (referral["status"], referral["assignee_code"], deadlines) == ("unrouted", None, [])


async def test_a_bad_report_is_refused_with_the_field_named(system, http):
    response = await http.post(
        f"{system.urls['intake']}/v1/reports", json=report_body(child={"division_code": "12345"})
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "child.division_code"


async def test_every_service_is_live_and_ready(system, http):
    for url in system.urls.values():
        assert (await http.get(f"{url}/health/live")).status_code == 200
        ready = await http.get(f"{url}/health/ready")
        body = ready.json()
        assert (body["status"], body["checks"]) == ("ready", {"database": True, "kafka": True})
        assert isinstance(body["warnings"], list)  # from December, notification warns of an unknown next year


async def test_personal_data_stays_out_of_every_service_log(system, http):
    reporter = {"name": "赵报告人", "phone": "13698765432", "consents_to_share_identity": True}
    child = {"name": "钱小宝", "id_number": VALID_CHILD_ID, "division_code": "140724104"}
    response = await http.post(f"{system.urls['intake']}/v1/reports", json=report_body(child=child, reporter=reporter))
    await follow(http, system, response.json()["report_id"])
    logs = "".join(path.read_text(errors="replace") for path in system.logs.glob("*.log"))
    assert logs  # the services do log
    for secret in ("赵报告人", "13698765432", "钱小宝", VALID_CHILD_ID):
        assert secret not in logs


async def test_the_station_is_emailed_its_new_referral_without_personal_data(system, http, mail):
    async def station_known():
        response = await http.get(
            f"{system.urls['notification']}/v1/receivers",
            params={"kind": "station", "code_prefix": "140725103"},
            headers=bearer(Role.ADMIN),
        )
        return response.json()  # the stations directory, announced by referral

    [station] = await eventually(station_known, 60, "the station's entry in notification")
    child = {"name": "孙小花", "age": 11, "division_code": "140725103"}
    response = await http.post(f"{system.urls['intake']}/v1/reports", json=report_body(child=child))
    referral, _ = await follow(http, system, response.json()["report_id"])

    async def delivered():
        response = await http.get(
            f"{system.urls['notification']}/v1/notifications", params={"referral_id": referral["referral_id"]}
        )
        return [row for row in response.json() if row["status"] == "delivered"]

    [notification] = await eventually(delivered, 60, "the delivered notification")
    message_id = f"<{notification['notification_id']}@cp-notification>"
    [email] = [message for message in mail.messages if message["Message-ID"] == message_id]
    assert email["Date"] and "签收" in email.get_content()
    assert (notification["kind"], notification["channel"], notification["receiver_code"]) == (
        "assigned",
        "email",
        "140725103",
    )
    assert [entry["outcome"] for entry in notification["log"]] == ["delivered"]
    assert email["X-Envelope-To"] == station["email"]
    assert email["Message-ID"] == f"<{notification['notification_id']}@cp-notification>"
    assert "孙小花" not in email.as_string()
