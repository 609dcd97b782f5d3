"""Referral on real Kafka and PostgreSQL: a station's stated times are bounded by the report and by now, the
committee's hours cannot go negative even from data stored before that bound, and the unrouted queue is
ordered by priority, then age."""

from datetime import timedelta

import asyncpg
import pytest

from services.referral.app import create_app
from services.referral.settings import ReferralSettings
from shared.domain.access import Role
from shared.domain.codes import Concern
from shared.events import utcnow
from shared.timezones import CHINA
from shared.topics import REPORT_RECEIVED
from tests.auth import bearer, service_settings
from tests.factories import report_received
from tests.integration.conftest import serving
from tests.kafka_tools import produce
from tests.waiting import eventually

GUOJIABAO = "140702200"  # 榆次区郭家堡乡: used by no other test here
STATION = bearer(Role.STATION, GUOJIABAO, "guojiabao")
NOBODYS_TOWNSHIP = "110101001"


@pytest.fixture(scope="module")
async def referral(infrastructure, referral_database):
    database_url = await referral_database()
    settings = service_settings(ReferralSettings, database_url, infrastructure.kafka_bootstrap_servers)
    async with serving(create_app(settings)) as client:
        client.database_url = database_url
        yield client


async def opened(client, infrastructure, division_code: str, **overrides) -> dict:
    event = report_received(division_code, **overrides)
    payload = event.model_dump_json().encode()
    await produce(infrastructure.kafka_bootstrap_servers, REPORT_RECEIVED, payload, key=str(event.report_id).encode())

    async def found():
        return (await client.get("/v1/referrals", params={"report_id": str(event.report_id)})).json()

    [referral] = await eventually(found, 60, "the referral")
    return referral


async def test_a_station_action_dated_1900_year_1_before_the_report_or_in_the_future_is_422(referral, infrastructure):
    received_at = utcnow() - timedelta(hours=3)
    found = await opened(referral, infrastructure, GUOJIABAO, received_at=received_at)
    path = f"/v1/referrals/{found['referral_id']}"
    assert (await referral.post(f"{path}/acknowledge", json={}, headers=STATION)).status_code == 200
    before = (await referral.get(path)).json()
    bad_times = [
        "1900-01-01T09:00:00+08:00",
        "0001-01-01T00:00:00",
        "0001-01-01T00:00:00-14:00",
        (received_at - timedelta(minutes=1)).isoformat(),
        (utcnow() + timedelta(days=1)).isoformat(),
    ]
    steps = [("visits", {}), ("contacts", {"method": "phone"}), ("assessments", {"level": "fair"})]
    steps.append(("police-notifications", {"police_station": "昔阳县公安局大寨派出所"}))
    for at in bad_times:
        for step, body in steps:
            response = await referral.post(f"{path}/{step}", json=body | {"at": at}, headers=STATION)
            assert response.status_code == 422, (step, at, response.text)
            assert [error["field"] for error in response.json()["errors"]] == ["at"], (step, at)
    assert (await referral.get(path)).json() == before

    in_china_time = (received_at + timedelta(minutes=10)).astimezone(CHINA).replace(tzinfo=None)  # no zone
    visited = await referral.post(f"{path}/visits", json={"at": in_china_time.isoformat()}, headers=STATION)
    assert visited.status_code == 200, visited.text


async def test_the_committees_hours_leave_out_a_step_stored_as_before_the_report(referral, infrastructure):
    found = await opened(referral, infrastructure, GUOJIABAO)
    path = f"/v1/referrals/{found['referral_id']}"
    assert (await referral.post(f"{path}/acknowledge", json={}, headers=STATION)).status_code == 200
    connection = await asyncpg.connect(referral.database_url)
    try:  # as data entered before action times were bounded left it
        await connection.execute(
            "UPDATE referrals SET home_visit_at = '1900-01-01T00:00:00Z', first_contact_at = '1900-01-01T00:00:00Z' "
            "WHERE referral_id = $1",
            found["referral_id"],
        )
    finally:
        await connection.close()
    committee = bearer(Role.COMMITTEE, "1407", "committee-jinzhong")
    figures = (await referral.get("/v1/dashboard", params={"area": GUOJIABAO}, headers=committee)).json()
    [township] = [place for place in figures["places"] if place["township"] == GUOJIABAO]
    hours = [township[f"{step}_hours_{p}"] for step in ("acknowledge", "home_visit") for p in ("p50", "p90")]
    assert all(value is None or value >= 0 for value in hours), hours
    assert township["acknowledge_hours_p50"] is not None


async def test_the_unrouted_queue_is_ordered_by_priority_then_oldest_first(referral, infrastructure):
    concerns = [
        [Concern.HARDSHIP],  # P3, oldest
        [Concern.SEXUAL_ABUSE],  # P1
        [Concern.NEGLECT],  # P2
        [Concern.MISSING],  # P1, newest
    ]
    opened_in_order = [
        await opened(referral, infrastructure, NOBODYS_TOWNSHIP, concerns=concern) for concern in concerns
    ]
    ours = {referral_found["referral_id"] for referral_found in opened_in_order}
    queue = [row for row in (await referral.get("/v1/unrouted")).json() if row["referral_id"] in ours]
    p3, first_p1, p2, second_p1 = (referral_found["referral_id"] for referral_found in opened_in_order)
    assert [row["referral_id"] for row in queue] == [first_p1, second_p1, p2, p3]
    assert [row["priority"] for row in queue] == ["P1", "P1", "P2", "P3"]
