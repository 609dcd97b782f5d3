"""Referral's side of closing the loop, on real Kafka and PostgreSQL: case numbers (unique under concurrent
openings, on every event, found by number), the police's record and feedback, the closing rules, the
household station's copies, and reopening after a dissatisfied callback."""

import asyncio
import json
import re
import uuid
from datetime import timedelta

import pytest

from services.referral.adapters.gazetteer_keeper import GazetteerKeeper
from services.referral.app import create_app, create_referrer
from services.referral.settings import ReferralSettings
from shared.database import create_pool
from shared.domain.codes import Concern, Satisfaction
from shared.events import CallbackRecorded, utcnow
from shared.topics import CALLBACK_RECORDED, REFERRAL_ACTIONS, REFERRAL_ASSIGNED
from tests.auth import bearer, service_settings
from tests.factories import report_received
from tests.integration.conftest import serving
from tests.integration.test_referral_lifecycle import DAZHAI_STATION, PINGTOU_STATION, XIYANG_CENTRE, child, send
from tests.integration.test_referral_lifecycle import referral_of as found_by_report
from tests.kafka_tools import produce, reading
from tests.waiting import eventually

DAZHAI, PINGTOU, SHIQI = "140724104", "140725103", "442000001"
NUMBER = re.compile(r"^晋中-20[0-9]{2}-[0-9]{6}$")
POLICE = {"police_station": "昔阳县公安局大寨派出所", "police_case_number": "A1407240000202612001"}


@pytest.fixture(scope="module")
async def database(referral_database) -> str:
    return await referral_database()


@pytest.fixture(scope="module")
async def referral(infrastructure, database):
    settings = service_settings(ReferralSettings, database, infrastructure.kafka_bootstrap_servers)
    async with serving(create_app(settings)) as client:
        yield client


async def opened(client, infrastructure, **overrides) -> dict:
    event = report_received(DAZHAI, received_at=utcnow() - timedelta(hours=3), **overrides)
    await send(infrastructure, event)
    return await found_by_report(client, event.report_id)


async def step(client, found: dict, action: str, body: dict, headers=DAZHAI_STATION):
    return await client.post(f"/v1/referrals/{found['referral_id']}/{action}", json=body, headers=headers)


def about(found: dict, action: str | None = None):
    def matches(record) -> bool:
        value = json.loads(record.value)
        return value["referral_id"] == found["referral_id"] and action in (None, value.get("action"))

    return matches


async def test_a_referral_is_numbered_announced_and_found_by_its_number(referral, infrastructure):
    async with reading(infrastructure.kafka_bootstrap_servers, REFERRAL_ASSIGNED) as assigned:
        found = await opened(referral, infrastructure)
        event = await assigned.find(lambda r: json.loads(r.value)["referral_id"] == found["referral_id"])
    assert NUMBER.match(found["case_number"]), found["case_number"]
    assert json.loads(event.value)["case_number"] == found["case_number"]
    by_number = await referral.get("/v1/referrals", params={"case_number": found["case_number"]})
    assert [r["referral_id"] for r in by_number.json()] == [found["referral_id"]]
    elsewhere = await referral.get(
        "/v1/referrals", params={"case_number": found["case_number"]}, headers=PINGTOU_STATION
    )
    assert elsewhere.json() == []


async def test_concurrent_openings_never_share_a_number(infrastructure, database):
    pools = [await create_pool(database) for _ in range(3)]
    try:
        keeper = GazetteerKeeper()
        await keeper.refresh(pools[0])
        settings = service_settings(ReferralSettings, database, infrastructure.kafka_bootstrap_servers)
        referrers = [create_referrer(lambda pool=pool: pool, lambda: keeper.current, settings) for pool in pools]
        batches = [
            [report_received(code) for code in ([DAZHAI, SHIQI] * 6)[i % 2 :][:10]] for i in range(len(referrers) * 2)
        ]
        await asyncio.gather(*(referrers[i % 3].refer_many(batch) for i, batch in enumerate(batches)))
        ids = [report.report_id for batch in batches for report in batch]
        rows = await pools[0].fetch("SELECT case_number FROM referrals WHERE report_id = ANY($1::uuid[])", ids)
    finally:
        for pool in pools:
            await pool.close()
    numbers = [row["case_number"] for row in rows]
    assert len(numbers) == len(ids) == len(set(numbers))
    assert {number.split("-")[0] for number in numbers} == {"晋中", "中山"}


async def test_the_police_are_recorded_then_their_feedback_and_a_police_case_closes_only_when_ready(
    referral, infrastructure
):
    found = await opened(referral, infrastructure, concerns=[Concern.GUARDIAN_ABUSE])
    assert (await step(referral, found, "acknowledge", {})).status_code == 200
    early = await step(referral, found, "police-feedback", {"feedback": "case_filed"})
    assert (early.status_code, early.json()["missing"]) == (409, ["police_notice"])
    refused = await step(referral, found, "close", {"outcome": "resolved"})
    assert refused.status_code == 409
    assert refused.json()["missing"] == ["police_notice", "contact_or_visit"] and "报警" in refused.json()["detail"]

    async with reading(infrastructure.kafka_bootstrap_servers, REFERRAL_ACTIONS) as actions:
        told = await step(referral, found, "police-notifications", POLICE | {"notes": "电话报警"})
        assert told.status_code == 200, told.text
        fed_back = await step(referral, found, "police-feedback", {"feedback": "case_filed", "notes": "已立案侦查"})
        assert fed_back.status_code == 200, fed_back.text
        notified = json.loads((await actions.find(about(found, "police_notified"))).value)
        feedback = json.loads((await actions.find(about(found, "police_feedback_recorded"))).value)
    assert {k: notified["detail"][k] for k in POLICE} == POLICE and notified["case_number"] == found["case_number"]
    assert feedback["detail"]["feedback"] == "case_filed" and "notes" not in feedback["detail"]
    assert (fed_back.json()["police_feedback"], fed_back.json()["police_station"]) == (
        "case_filed",
        POLICE["police_station"],
    )

    still = await step(referral, found, "close", {"outcome": "handed_to_police"})
    assert still.json()["missing"] == ["contact_or_visit"]
    assert (await step(referral, found, "contacts", {"method": "phone"})).status_code == 200
    assert (await step(referral, found, "close", {"outcome": "handed_to_police"})).status_code == 200


async def test_the_household_station_is_announced_its_copy_and_lists_it_alone(referral, infrastructure):
    someone = child(name=f"儿童{uuid.uuid4().hex[:4]}", hukou_division_code=PINGTOU)  # no other test's child
    async with reading(infrastructure.kafka_bootstrap_servers, REFERRAL_ACTIONS) as actions:
        found = await opened(referral, infrastructure, child=someone)
        copy = json.loads((await actions.find(about(found, "information_copy_sent"))).value)
    assert (copy["detail"]["copy_to"], copy["case_number"]) == (PINGTOU, found["case_number"])
    listed = await referral.get(f"/v1/stations/{PINGTOU}/copies", headers=PINGTOU_STATION)
    assert found["case_number"] in [row["case_number"] for row in listed.json()]
    assert listed.json()[0]["copy_reason"] == "household_registration"
    assert (await referral.get(f"/v1/stations/{PINGTOU}/copies", headers=DAZHAI_STATION)).status_code == 404
    assert (await referral.get(f"/v1/stations/{PINGTOU}/copies")).status_code == 404  # an operator


async def test_a_dissatisfied_callback_reopens_the_case_with_the_county_centre_once(referral, infrastructure):
    found = await opened(referral, infrastructure, concerns=[Concern.HARDSHIP])
    assert (await step(referral, found, "acknowledge", {})).status_code == 200
    assert (await step(referral, found, "close", {"outcome": "resolved"})).status_code == 200
    unknown = _callback(uuid.uuid4(), Satisfaction.DISSATISFIED)
    satisfied = _callback(uuid.UUID(found["report_id"]), Satisfaction.SATISFIED)
    dissatisfied = _callback(uuid.UUID(found["report_id"]), Satisfaction.DISSATISFIED)
    async with (
        reading(infrastructure.kafka_bootstrap_servers, REFERRAL_ACTIONS) as actions,
        reading(infrastructure.kafka_bootstrap_servers, REFERRAL_ASSIGNED) as assigned,
    ):
        for callback in (unknown, satisfied, dissatisfied, dissatisfied):  # the last one again: applied once
            await produce(
                infrastructure.kafka_bootstrap_servers,
                CALLBACK_RECORDED,
                callback.model_dump_json().encode(),
                key=str(callback.report_id).encode(),
            )
        reopened = json.loads((await actions.find(about(found, "reopened"))).value)
        placed = json.loads(
            (await assigned.find(lambda r: json.loads(r.value)["referral_id"] == found["referral_id"])).value
        )
    assert (reopened["detail"]["moved_to"], reopened["status"], reopened["case_number"]) == (
        XIYANG_CENTRE,
        "assigned",
        found["case_number"],
    )
    assert (placed["reason"], placed["assignee_code"], placed["assignee_kind"]) == (
        "reopened",
        XIYANG_CENTRE,
        "county_centre",
    )

    async def once_only():
        detail = (await referral.get(f"/v1/referrals/{found['referral_id']}")).json()
        return detail if detail["status"] == "assigned" else None

    detail = await eventually(once_only, 30, "the reopened referral")
    await asyncio.sleep(2)  # the repeated callback has had time to arrive
    detail = (await referral.get(f"/v1/referrals/{found['referral_id']}")).json()
    assert [entry["action"] for entry in detail["history"]].count("reopened") == 1
    assert (detail["assignee_code"], detail["outcome"], detail["closed_at"]) == (XIYANG_CENTRE, None, None)


def _callback(report_id, satisfaction) -> CallbackRecorded:
    return CallbackRecorded(
        report_id=report_id, reached=True, satisfaction=satisfaction, at=utcnow(), recorded_by="operator:op-1"
    )


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("police-notifications", {"police_station": "派出所\u0000"}, "police_station"),
        ("police-notifications", {"police_station": "派" * 10_000}, "police_station"),
        ("police-notifications", {"police_station": ["派出所"]}, "police_station"),
        ("police-notifications", POLICE | {"police_case_number": "A1/2026;DROP"}, "police_case_number"),
        ("police-notifications", POLICE | {"at": "0001-01-01T00:00:00"}, "at"),
        ("police-notifications", POLICE | {"at": "9999-12-31T23:59:59+08:00"}, "at"),
        ("police-feedback", {"feedback": 7}, "feedback"),
        ("police-feedback", {"feedback": "case_filed", "at": "0001-01-01T00:00:00-14:00"}, "at"),
        ("police-feedback", {"feedback": "case_filed", "notes": "注" * 5000}, "notes"),
    ],
)
async def test_hostile_police_fields_are_refused_naming_the_field(referral, infrastructure, action, body, field):
    found = await opened(referral, infrastructure)
    answer = await step(referral, found, action, body)
    assert answer.status_code == 422, answer.text
    assert [error["field"] for error in answer.json()["errors"]] == [field]


@pytest.mark.parametrize("number", ["晋中-2026-12", "x" * 100, "晋中\u0000-2026-000001", "晋中 -2026-000001"])
async def test_a_malformed_case_number_is_refused_naming_it(referral, number):
    answer = await referral.get("/v1/referrals", params={"case_number": number})
    assert answer.status_code == 422
    assert [error["field"] for error in answer.json()["errors"]] == ["case_number"]


async def test_the_codes_carry_chinese_labels(referral):
    outcomes = (await referral.get("/v1/codes/outcomes", headers=bearer())).json()
    assert {"code": "resolved", "label": "问题已解决"}.items() <= outcomes[0].items()
    feedback = (await referral.get("/v1/codes/police-feedback")).json()
    assert {row["label"] for row in feedback} >= {"已立案", "不予立案", "已出警处置", "移交其他部门"}
