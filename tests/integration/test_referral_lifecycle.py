"""A referral's life on real Kafka and PostgreSQL: repeat reports, copies, and every station action."""

import json
import uuid
from datetime import timedelta

import pytest

from services.referral.app import create_app
from services.referral.settings import ReferralSettings
from shared.domain.access import Role
from shared.domain.codes import Concern
from shared.events import ReportedChild, utcnow
from shared.topics import REFERRAL_ACTIONS, REFERRAL_ASSIGNED, REPORT_LINKED, REPORT_RECEIVED
from tests.auth import bearer, service_settings
from tests.factories import report_received
from tests.integration.conftest import serving
from tests.kafka_tools import produce, reading
from tests.waiting import eventually

DAZHAI, PINGTOU, XIYANG_CENTRE = "140724104", "140725103", "140724"
DAZHAI_STATION = bearer(Role.STATION, DAZHAI, "dazhai")
PINGTOU_STATION = bearer(Role.STATION, PINGTOU, "pingtou")
XIYANG = bearer(Role.COUNTY_CENTRE, XIYANG_CENTRE, "xiyang-centre")


@pytest.fixture(scope="module")
async def referral(infrastructure, referral_database):
    settings = service_settings(ReferralSettings, await referral_database(), infrastructure.kafka_bootstrap_servers)
    async with serving(create_app(settings)) as client:
        yield client


async def send(infrastructure, event) -> None:
    payload = event.model_dump_json().encode()
    await produce(infrastructure.kafka_bootstrap_servers, REPORT_RECEIVED, payload, key=str(event.report_id).encode())


async def referral_of(client, report_id) -> dict:
    async def probe():
        return (await client.get("/v1/referrals", params={"report_id": str(report_id)})).json()

    found = await eventually(probe, 60, "the referral")
    assert len(found) == 1
    return found[0]


async def opened(client, infrastructure, division_code: str = DAZHAI, **overrides) -> dict:
    event = report_received(division_code, **overrides)
    await send(infrastructure, event)
    return await referral_of(client, event.report_id)


def child(**fields) -> ReportedChild:
    return ReportedChild(**({"name": "测试儿童", "age": 9, "division_code": DAZHAI} | fields))


# Repeat reports


async def test_reports_about_one_child_are_linked_and_the_third_raises_the_priority(referral, infrastructure):
    someone = child(id_number=_fresh_id_number())
    first = report_received(DAZHAI, child=someone, concerns=[Concern.HARDSHIP])
    second = report_received(DAZHAI, child=someone, concerns=[Concern.OUT_OF_SCHOOL])
    third = report_received(DAZHAI, child=someone, concerns=[Concern.HARDSHIP])
    await send(infrastructure, first)
    opening = await referral_of(referral, first.report_id)
    assert opening["priority"] == "P3"
    async with (
        reading(infrastructure.kafka_bootstrap_servers, REPORT_LINKED) as linked,
        reading(infrastructure.kafka_bootstrap_servers, REFERRAL_ACTIONS) as actions,
    ):
        for event in (second, third):
            await send(infrastructure, event)
            assert (await referral_of(referral, event.report_id))["referral_id"] == opening["referral_id"]
        link = await linked.find(lambda r: json.loads(r.value)["report_id"] == str(third.report_id))
        raised = await actions.find(
            lambda r: (
                json.loads(r.value)["referral_id"] == opening["referral_id"]
                and json.loads(r.value)["action"] == "priority_raised"
            )
        )
    detail = (await referral.get(f"/v1/referrals/{opening['referral_id']}")).json()
    assert (detail["priority"], detail["report_count"]) == ("P2", 3)
    assert [report["linked"] for report in detail["reports"]] == [False, True, True]
    assert json.loads(link.value)["reports_in_window"] == 3
    assert json.loads(raised.value)["detail"] == {
        "from": "P3",
        "to": "P2",
        "reason": "repeat_reports",
        "reports_in_window": 3,
    }


async def test_a_child_without_an_id_number_is_known_by_name_birth_and_township(referral, infrastructure):
    someone = child(name=f"儿童{uuid.uuid4().hex[:4]}", age=None, birth_date="2016-05-01")
    first = await opened(referral, infrastructure, child=someone)
    second = await opened(referral, infrastructure, child=someone)
    elsewhere = await opened(referral, infrastructure, child=someone.model_copy(update={"division_code": PINGTOU}))
    assert second["referral_id"] == first["referral_id"]
    assert elsewhere["referral_id"] != first["referral_id"]


async def test_a_linked_urgent_report_makes_the_referral_urgent(referral, infrastructure):
    someone = child(id_number=_fresh_id_number())
    first = await opened(referral, infrastructure, child=someone, concerns=[Concern.HARDSHIP])
    await opened(referral, infrastructure, child=someone, concerns=[Concern.MISSING])
    detail = (await referral.get(f"/v1/referrals/{first['referral_id']}")).json()
    assert (detail["priority"], detail["police_required"]) == ("P1", True)
    assert detail["history"][-1]["detail"]["reason"] == "linked_report_triage"


async def test_a_closed_referral_is_not_reopened_by_a_new_report(referral, infrastructure):
    someone = child(id_number=_fresh_id_number())
    first = await opened(referral, infrastructure, child=someone)
    await _act(referral, first, "acknowledge", {}, DAZHAI_STATION)
    await _act(referral, first, "close", {"outcome": "resolved"}, DAZHAI_STATION)
    later = await opened(referral, infrastructure, child=someone)
    assert later["referral_id"] != first["referral_id"]


async def test_the_household_township_gets_an_information_copy(referral, infrastructure):
    someone = child(hukou_division_code=PINGTOU)
    found = await opened(referral, infrastructure, child=someone)
    seen_by_copy = await referral.get(f"/v1/referrals/{found['referral_id']}", headers=PINGTOU_STATION)
    assert seen_by_copy.json()["copies_to"] == [PINGTOU]
    assert seen_by_copy.json()["history"][-1]["action"] == "information_copy_sent"
    acting = await referral.post(f"/v1/referrals/{found['referral_id']}/acknowledge", json={}, headers=PINGTOU_STATION)
    assert acting.status_code == 403


# Station actions


async def test_a_station_works_a_referral_from_acknowledgement_to_close(referral, infrastructure):
    found = await opened(referral, infrastructure, received_at=utcnow() - timedelta(hours=2))
    visited_at = (utcnow() - timedelta(hours=1)).isoformat()  # after the call came in
    steps = [
        ("acknowledge", {"notes": "已签收"}),
        ("contacts", {"method": "phone", "notes": "电话联系监护人"}),
        ("visits", {"at": visited_at, "notes": "入户走访"}),
        ("assessments", {"level": "good", "notes": "监护良好"}),  # 一般 or worse would keep it under monitoring
        ("police-notifications", {"police_station": "昔阳县公安局大寨派出所"}),
        ("close", {"outcome": "services_arranged", "notes": "已链接帮扶"}),
    ]
    async with reading(infrastructure.kafka_bootstrap_servers, REFERRAL_ACTIONS) as actions:
        for path, body in steps:
            await _act(referral, found, path, body, DAZHAI_STATION)
        announced = [
            json.loads((await actions.find(_action_of(found, name))).value)
            for name in (
                "acknowledged",
                "contact_recorded",
                "home_visit_recorded",
                "assessment_recorded",
                "police_notified",
                "closed",
            )
        ]
    detail = (await referral.get(f"/v1/referrals/{found['referral_id']}", headers=DAZHAI_STATION)).json()
    assert detail["status"] == "closed"
    assert (detail["assessment"], detail["outcome"]) == ("good", "services_arranged")
    assert all(detail[stage] for stage in ("acknowledged_at", "first_contact_at", "home_visit_at", "assessed_at"))
    assert [entry["action"] for entry in detail["history"]] == [
        "assigned",
        "acknowledged",
        "contact_recorded",
        "home_visit_recorded",
        "assessment_recorded",
        "police_notified",
        "closed",
    ]
    assert detail["history"][2]["detail"]["notes"] == "电话联系监护人"
    assert [event["version"] for event in announced] == [2, 3, 4, 5, 6, 7]
    assert all("notes" not in event["detail"] for event in announced)


async def test_illegal_steps_are_refused_and_change_nothing(referral, infrastructure):
    found = await opened(referral, infrastructure)
    path = f"/v1/referrals/{found['referral_id']}"
    before = (await referral.get(path)).json()
    assert (
        await referral.post(f"{path}/contacts", json={"method": "phone"}, headers=DAZHAI_STATION)
    ).status_code == 409
    assert (await referral.post(f"{path}/acknowledge", json={}, headers=PINGTOU_STATION)).status_code == 404
    assert (await referral.post(f"{path}/acknowledge", json={}, headers=XIYANG)).status_code == 403
    assert (await referral.post(f"{path}/acknowledge", json={})).status_code == 403  # an operator
    assert (await referral.post(f"{path}/acknowledge", json={}, headers={"Authorization": ""})).status_code == 401
    assert (await referral.get(path)).json() == before
    await _act(referral, found, "acknowledge", {}, DAZHAI_STATION)
    assert (await referral.post(f"{path}/acknowledge", json={}, headers=DAZHAI_STATION)).status_code == 409
    await _act(referral, found, "close", {"outcome": "resolved"}, DAZHAI_STATION)
    closed = (await referral.get(path)).json()
    again = await referral.post(f"{path}/close", json={"outcome": "resolved"}, headers=DAZHAI_STATION)
    assert again.status_code == 409
    assert (await referral.get(path)).json() == closed
    missing = await referral.post(f"/v1/referrals/{uuid.uuid4()}/acknowledge", json={}, headers=DAZHAI_STATION)
    assert missing.status_code == 404


async def test_bad_action_bodies_name_the_field_and_change_nothing(referral, infrastructure):
    found = await opened(referral, infrastructure)
    path = f"/v1/referrals/{found['referral_id']}"
    await _act(referral, found, "acknowledge", {}, DAZHAI_STATION)
    before = (await referral.get(path)).json()
    future = (utcnow() + timedelta(days=1)).isoformat()
    cases = [
        ("assessments", {"level": "terrible"}, "level"),
        ("contacts", {"method": "phone", "at": future}, "at"),
        ("decline", {"reason": "不是本辖区", "suggested_division_code": "999999999"}, "suggested_division_code"),
        ("decline", {"reason": "不是本辖区", "suggested_division_code": DAZHAI}, "suggested_division_code"),
        ("close", {}, "outcome"),
    ]
    for action, body, field in cases:
        response = await referral.post(f"{path}/{action}", json=body, headers=DAZHAI_STATION)
        assert response.status_code == 422, action
        assert field in [error["field"] for error in response.json()["errors"]], action
    assert (await referral.get(path)).json() == before


async def test_a_decline_moves_the_referral_and_the_second_decline_sends_it_to_the_centre(referral, infrastructure):
    found = await opened(referral, infrastructure)
    path = f"/v1/referrals/{found['referral_id']}"
    async with reading(infrastructure.kafka_bootstrap_servers, REFERRAL_ASSIGNED) as assigned:
        moved = await _act(
            referral, found, "decline", {"reason": "儿童住在平头镇", "suggested_division_code": PINGTOU}, DAZHAI_STATION
        )
        assert (moved["assignee_code"], moved["status"], moved["decline_count"]) == (PINGTOU, "assigned", 1)
        assert (await referral.get(path, headers=DAZHAI_STATION)).status_code == 404
        back = await _act(
            referral, found, "decline", {"reason": "不在本镇", "suggested_division_code": DAZHAI}, PINGTOU_STATION
        )
        announced = await assigned.find(
            lambda r: (
                json.loads(r.value)["referral_id"] == found["referral_id"]
                and json.loads(r.value)["assignee_code"] == "140725"
            )
        )
    assert (back["assignee_code"], back["assignee_kind"], back["decline_count"]) == ("140725", "county_centre", 2)
    assert json.loads(announced.value)["reason"] == "declined"


async def test_only_a_centre_reassigns_and_the_new_station_must_acknowledge(referral, infrastructure):
    found = await opened(referral, infrastructure, division_code="140724999")  # no such township: the centre
    assert (found["assignee_code"], found["routing_reason"]) == (XIYANG_CENTRE, "county_only")
    body = {"division_code": DAZHAI, "reason": "核实为大寨镇"}
    path = f"/v1/referrals/{found['referral_id']}"
    assert (await referral.post(f"{path}/reassign", json=body, headers=DAZHAI_STATION)).status_code == 404
    moved = await _act(referral, found, "reassign", body, XIYANG)
    assert (moved["assignee_code"], moved["status"]) == (DAZHAI, "assigned")
    onwards = {"division_code": PINGTOU, "reason": "转给平头镇"}
    assert (await referral.post(f"{path}/reassign", json=onwards, headers=DAZHAI_STATION)).status_code == 403
    await _act(referral, found, "acknowledge", {}, DAZHAI_STATION)


async def test_the_supervisors_dispatch_an_unrouted_referral(referral, infrastructure):
    event = report_received(None, child=ReportedChild(address="晋中市北关街道", age=10))
    await send(infrastructure, event)
    found = await referral_of(referral, event.report_id)
    assert found["status"] == "unrouted"
    dispatched = await _act(referral, found, "reassign", {"division_code": "140702001", "reason": "来电人确认榆次区"})
    assert (dispatched["assignee_code"], dispatched["status"]) == ("140702001", "assigned")
    assert dispatched["history"][-1]["detail"]["moved_to"] == "140702001"


async def test_a_centre_changes_the_priority_with_a_reason(referral, infrastructure):
    found = await opened(referral, infrastructure)
    changed = await _act(referral, found, "priority", {"priority": "P1", "reason": "核实存在紧急危险"}, XIYANG)
    assert changed["priority"] == "P1"
    assert changed["history"][-1]["detail"] == {"from": "P2", "to": "P1", "notes": "核实存在紧急危险"}
    path = f"/v1/referrals/{found['referral_id']}/priority"
    refused = await referral.post(path, json={"priority": "P3", "reason": "降级"}, headers=DAZHAI_STATION)
    assert refused.status_code == 403


async def test_a_station_lists_its_open_referrals_and_no_one_elses(referral, infrastructure):
    found = await opened(referral, infrastructure)
    own = await referral.get(f"/v1/stations/{DAZHAI}/referrals", headers=DAZHAI_STATION)
    other = await referral.get(f"/v1/stations/{DAZHAI}/referrals", headers=PINGTOU_STATION)
    centre = await referral.get(f"/v1/stations/{DAZHAI}/referrals", headers=XIYANG)
    assert found["referral_id"] in [item["referral_id"] for item in own.json()]
    assert all(item["status"] != "closed" for item in own.json())
    assert (other.status_code, centre.status_code) == (404, 200)


async def _act(client, found: dict, action: str, body: dict, headers: dict | None = None) -> dict:
    response = await client.post(f"/v1/referrals/{found['referral_id']}/{action}", json=body, headers=headers)
    assert response.status_code == 200, (action, response.text)
    return response.json()


def _action_of(found: dict, action: str):
    return lambda r: (
        json.loads(r.value)["referral_id"] == found["referral_id"] and json.loads(r.value)["action"] == action
    )


def _fresh_id_number() -> str:
    """A valid resident ID number not used by any other test: 140724 + a birth date in 2012-2019 + serial."""
    from shared.identifiers import id_check_character

    number = uuid.uuid4().int
    first_17 = f"140724{2012 + number % 8}{1 + number % 12:02d}{1 + number % 28:02d}{number % 1000:03d}"
    return first_17 + id_check_character(first_17)
