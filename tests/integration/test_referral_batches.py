"""A batch of received reports referred in one transaction ends as if each had been referred on its own."""

import json
import uuid
from collections import Counter

import pytest

from services.referral.adapters.gazetteer_keeper import GazetteerKeeper
from services.referral.app import create_referrer
from services.referral.settings import ReferralSettings
from shared.database import create_pool
from shared.events import ReportedChild
from tests.auth import service_settings
from tests.factories import report_received

DAZHAI, PINGTOU = "140724104", "140725103"


@pytest.fixture
async def database(referral_database) -> str:
    return await referral_database()


@pytest.fixture
async def pool(database):
    pool = await create_pool(database)
    yield pool
    await pool.close()


@pytest.fixture
async def referrer(infrastructure, database, pool):
    keeper = GazetteerKeeper()
    await keeper.refresh(pool)
    settings = service_settings(ReferralSettings, database, infrastructure.kafka_bootstrap_servers)
    return create_referrer(lambda: pool, lambda: keeper.current, settings)


def child(name: str, **fields) -> ReportedChild:
    return ReportedChild(**({"name": name, "age": 9, "division_code": DAZHAI} | fields))


async def test_a_batch_opens_links_and_copies_as_one_by_one_would(referrer, pool):
    already_open = report_received(DAZHAI, child=child("王一"))
    await referrer.refer_many([already_open])
    first_of_two, second_of_two = (report_received(DAZHAI, child=child("李二")) for _ in range(2))
    repeat = report_received(DAZHAI, child=child("王一"))
    unknown_child = report_received(DAZHAI)  # no name, no ID number: no key, never linked
    with_household = report_received(DAZHAI, child=child("赵三", hukou_division_code=PINGTOU))

    await referrer.refer_many([first_of_two, unknown_child, repeat, second_of_two, with_household, first_of_two])

    rows = await pool.fetch(
        "SELECT r.report_id, rr.report_id AS filed, rr.linked FROM referral_reports rr "
        "JOIN referrals r USING (referral_id)"
    )
    opened_by = {row["filed"]: row["report_id"] for row in rows}
    assert opened_by == {
        already_open.report_id: already_open.report_id,
        repeat.report_id: already_open.report_id,
        first_of_two.report_id: first_of_two.report_id,
        second_of_two.report_id: first_of_two.report_id,
        unknown_child.report_id: unknown_child.report_id,
        with_household.report_id: with_household.report_id,
    }
    assert sorted(row["linked"] for row in rows) == [False] * 4 + [True] * 2
    counts = await pool.fetch("SELECT report_id, report_count FROM referrals")
    assert {row["report_id"]: row["report_count"] for row in counts} == {
        already_open.report_id: 2,
        first_of_two.report_id: 2,
        unknown_child.report_id: 1,
        with_household.report_id: 1,
    }
    copies = await pool.fetch("SELECT station_code FROM referral_copies")
    assert [row["station_code"] for row in copies] == [PINGTOU]
    announced = await pool.fetch("SELECT event_type, payload FROM outbox")
    kinds = Counter(row["event_type"] for row in announced)
    assert (kinds["ReferralAssigned"], kinds["ReportLinked"]) == (4, 2)
    assigned = [json.loads(row["payload"]) for row in announced if row["event_type"] == "ReferralAssigned"]
    assert {event["report_id"] for event in assigned} == {
        str(report.report_id) for report in (already_open, first_of_two, unknown_child, with_household)
    }
    assert all(event["assignee_code"] == DAZHAI for event in assigned)
    history = await pool.fetch("SELECT action, detail FROM referral_history WHERE action = 'assigned'")
    assert len(history) == 4
    assert all(json.loads(entry["detail"])["reason"] == "township_station" for entry in history)


async def test_a_batch_delivered_again_changes_nothing(referrer, pool):
    reports = [report_received(DAZHAI, child=child(name)) for name in ("周四", "吴五", "郑六")]
    await referrer.refer_many(reports)
    before = await pool.fetchval("SELECT count(*) FROM outbox")

    await referrer.refer_many(reports)

    assert await pool.fetchval("SELECT count(*) FROM referrals") == 3
    assert await pool.fetchval("SELECT count(*) FROM outbox") == before


async def test_one_report_announced_twice_in_a_batch_opens_one_referral(referrer, pool):
    report = report_received()  # no child key: nothing but the report id tells the two apart
    again = report.model_copy(update={"event_id": uuid.uuid4()})

    await referrer.refer_many([report, again])

    assert await pool.fetchval("SELECT count(*) FROM referrals") == 1
    assert await pool.fetchval("SELECT count(*) FROM referral_history") == 1
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE event_type = 'ReferralAssigned'") == 1
