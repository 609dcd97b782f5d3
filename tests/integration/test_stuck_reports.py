"""Intake in-process on real PostgreSQL and Kafka: a report no referral came of, and one whose event was set
aside, are stuck (listed, counted, warned of, announced once) until a referral comes of them; a dead letter
seen twice changes nothing, and one about no known report is warned of without a report."""

import json
import uuid

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared.dead_letter_watch import DeadLetterSeen
from shared.domain.access import Role
from shared.events import ReportStuck, utcnow
from shared.topics import REFERRAL_ASSIGNED, REPORT_RECEIVED, REPORT_STUCK, dead_letter_topic
from tests.auth import bearer, service_settings
from tests.e2e.test_metrics import _figures
from tests.factories import referral_assigned, report_body
from tests.integration.conftest import serving
from tests.kafka_tools import produce, reading
from tests.waiting import eventually

ADMIN = bearer(Role.ADMIN, "", "admin-1")


@pytest.fixture(scope="module")
async def database_url(intake_database):
    return await intake_database()


@pytest.fixture(scope="module")
def intake_app(infrastructure, database_url):
    bootstrap = infrastructure.kafka_bootstrap_servers
    settings = service_settings(
        IntakeSettings, database_url, bootstrap, no_referral_after_seconds=1, stuck_check_seconds=0.2
    )
    return create_app(settings)


@pytest.fixture(scope="module")
async def intake(intake_app):
    async with serving(intake_app) as client:
        yield client


async def stuck_as(intake, report_id: str, reasons: set[str]) -> list[dict] | None:
    """The report's rows in the list once it is stuck for exactly these reasons ([{}] for none)."""
    rows = [row for row in (await intake.get("/v1/reports/stuck")).json() if row["report_id"] == report_id]
    return (rows or [{}]) if {row["reason"] for row in rows} == reasons else None


async def test_a_report_is_stuck_until_a_referral_comes_of_it(intake, intake_app, infrastructure, database_url):
    bootstrap = infrastructure.kafka_bootstrap_servers
    async with reading(bootstrap, REPORT_STUCK) as announced:
        report_id = (
            await intake.post("/v1/reports", json=report_body(hotline_ticket_id=f"GD{uuid.uuid4().hex[:10]}"))
        ).json()["report_id"]
        [waiting] = await eventually(lambda: stuck_as(intake, report_id, {"no_referral"}), 30, "no referral in time")

        body = json.dumps({"report_id": report_id, "event_id": str(uuid.uuid4()), "child": {}}).encode()
        headers = [
            ("error", b"handler failed: OverflowError"),
            ("source_topic", REPORT_RECEIVED.encode()),
            ("consumer_group", b"referral"),
        ]
        await produce_with_headers(bootstrap, dead_letter_topic(REPORT_RECEIVED), body, headers)
        rows = await eventually(
            lambda: stuck_as(intake, report_id, {"no_referral", "dead_lettered"}), 30, "dead letter"
        )
        stories = [ReportStuck.model_validate_json((await announced.find(about(report_id))).value) for _ in range(2)]

    [dead] = [row for row in rows if row["reason"] == "dead_lettered"]
    assert (dead["error"], dead["source_topic"], dead["consumer_group"]) == (
        "handler failed: OverflowError",
        REPORT_RECEIVED,
        "referral",
    )
    assert waiting["hotline_ticket_id"] and waiting["since"] and waiting["error"] is None
    assert {story.reason for story in stories} == {"no_referral", "dead_lettered"}
    ready = (await intake.get("/health/ready")).json()
    assert ready["status"] == "ready" and any("report(s) stuck" in warning for warning in ready["warnings"])
    figures = await _figures(intake, "")
    assert figures["reports_stuck"][(("reason", "dead_lettered"),)] >= 1

    # the same dead letter seen again (a redelivered batch) changes nothing
    again = await dead_letter_seen_again(database_url, report_id)
    await intake_app.state.stuck_reports.dead_letters([again, again])
    marks = "SELECT count(*) FROM stuck_reports WHERE report_id = $1"
    assert await fetch_value(database_url, marks, uuid.UUID(report_id)) == 2
    told = "SELECT count(*) FROM outbox WHERE topic = $1 AND message_key = $2"
    assert await fetch_value(database_url, told, REPORT_STUCK, report_id) == 2

    assigned = referral_assigned(report_id=uuid.UUID(report_id))
    await produce(bootstrap, REFERRAL_ASSIGNED, assigned.model_dump_json().encode(), key=b"stuck-test")
    await eventually(lambda: stuck_as(intake, report_id, set()), 30, "a referral to clear it")


async def test_a_dead_letter_about_no_known_report_is_warned_of(intake, infrastructure):
    bootstrap = infrastructure.kafka_bootstrap_servers
    before = await strays(intake)
    for body in (b'{"report_id": "cut off', json.dumps({"report_id": str(uuid.uuid4())}).encode()):
        await produce_with_headers(bootstrap, dead_letter_topic(REFERRAL_ASSIGNED), body, [("error", b"invalid")])

    async def counted() -> bool:
        return await strays(intake) >= before + 2

    async def warned() -> list[str]:
        warnings = (await intake.get("/health/ready")).json()["warnings"]
        return [warning for warning in warnings if "dead letter(s) about no known report" in warning]

    await eventually(counted, 30, "both dead letters counted without a report")
    await eventually(warned, 10, "the warning of dead letters about no known report")


async def strays(intake) -> float:
    return (await _figures(intake, ""))["dead_letters_without_report_total"][()]


async def test_stuck_reports_are_for_operators_and_admins_and_every_read_is_audited(intake):
    assert (await intake.get("/v1/reports/stuck", headers=ADMIN)).status_code == 200
    for role, scope in ((Role.STATION, "140724104"), (Role.COMMITTEE, "1407")):
        assert (await intake.get("/v1/reports/stuck", headers=bearer(role, scope, "someone"))).status_code == 403
    assert (await intake.get("/v1/reports/stuck", params={"limit": 0})).status_code == 422
    entries = (await intake.get("/v1/audit", params={"actor": "admin-1"}, headers=ADMIN)).json()
    assert any(entry["target"] == "stuck reports" for entry in entries)


def about(report_id: str):
    return lambda record: report_id.encode() in record.value


async def produce_with_headers(bootstrap: str, topic: str, value: bytes, headers: list[tuple[str, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=b"stuck-test", headers=headers)
    finally:
        await producer.stop()


async def dead_letter_seen_again(database_url: str, report_id: str) -> DeadLetterSeen:
    row = await fetch_row(database_url, "SELECT * FROM dead_letters WHERE report_id = $1", uuid.UUID(report_id))
    return DeadLetterSeen(
        topic=row["topic"],
        partition=row["partition"],
        offset=row["offset"],
        at=utcnow(),
        source_topic=row["source_topic"],
        consumer_group=row["consumer_group"],
        error=row["error"],
        report_id=row["report_id"],
        event_id=row["event_id"],
    )


async def fetch_row(database_url: str, query: str, *arguments: object) -> asyncpg.Record:
    connection = await asyncpg.connect(database_url)
    try:
        return await connection.fetchrow(query, *arguments)
    finally:
        await connection.close()


async def fetch_value(database_url: str, query: str, *arguments: object) -> object:
    return (await fetch_row(database_url, query, *arguments))[0]
