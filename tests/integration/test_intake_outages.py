"""Intake while its database or its broker is down. These tests stop and restart a PostgreSQL cluster
and a Kafka broker of their own (the local launcher), so that nothing else loses its infrastructure."""

import asyncio
import json
import os
import shutil
from collections.abc import Iterator

import asyncpg
import pytest

from deploy.local.kafka import LocalKafka
from deploy.local.postgres import LocalPostgres
from deploy.local.process import REPO_ROOT, free_port
from services.intake.adapters.known_divisions import load_known_divisions
from services.intake.app import MIGRATIONS, create_app
from services.intake.settings import IntakeSettings
from shared.database import apply_migrations, ensure_database
from shared.topics import REPORT_RECEIVED
from tests.auth import service_settings
from tests.factories import report_body
from tests.integration.conftest import serving
from tests.kafka_tools import reading
from tests.waiting import eventually


@pytest.fixture(scope="module")
def state() -> Iterator[str]:
    folder = REPO_ROOT / ".run" / f"outages-{os.getpid()}"
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def own_postgres(state) -> Iterator[LocalPostgres]:
    postgres = LocalPostgres(state / "postgres", port=free_port())
    postgres.start()
    yield postgres
    postgres.stop()


@pytest.fixture(scope="module")
def own_kafka(state) -> Iterator[LocalKafka]:
    kafka = LocalKafka(state / "kafka", port=free_port(), controller_port=free_port())
    kafka.start()
    yield kafka
    kafka.stop()


def settings(database_url: str, kafka: str) -> IntakeSettings:
    return service_settings(IntakeSettings, database_url, kafka)


async def counts(database_url: str) -> tuple[int, int]:
    connection = await asyncpg.connect(database_url)
    try:
        return (
            await connection.fetchval("SELECT count(*) FROM reports"),
            await connection.fetchval("SELECT count(*) FROM outbox WHERE topic = 'reports.received.v1'"),
        )
    finally:
        await connection.close()


async def test_with_the_database_down_the_answer_is_503_and_nothing_is_stored(
    own_postgres, infrastructure, division_package
):
    url = await ensure_database(own_postgres.admin_url, "intake")
    await asyncio.to_thread(apply_migrations, url, MIGRATIONS)
    await load_known_divisions(url, division_package)
    async with serving(create_app(settings(url, infrastructure.kafka_bootstrap_servers))) as intake:
        assert (await intake.post("/v1/reports", json=report_body())).status_code == 201

        own_postgres.stop()
        try:
            refused = await intake.post("/v1/reports", json=report_body(hotline_ticket_id="GD-DOWN-1"))
            ready = await intake.get("/health/ready")
        finally:
            own_postgres.start()

        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "5"
        assert ready.status_code == 503 and ready.json()["checks"]["database"] is False
        assert await counts(url) == (1, 1)

        async def accepted_again():
            response = await intake.post("/v1/reports", json=report_body(hotline_ticket_id="GD-DOWN-1"))
            return response.status_code == 201

        await eventually(accepted_again, 30, "intake to accept reports again")
        assert await counts(url) == (2, 2)


async def test_reports_accepted_while_the_broker_is_down_are_published_when_it_returns(
    own_kafka, infrastructure, intake_database
):
    url = await intake_database()
    async with serving(create_app(settings(url, own_kafka.bootstrap_servers))) as intake:
        own_kafka.stop()
        try:
            responses = [await intake.post("/v1/reports", json=report_body()) for _ in range(3)]
            ready = await intake.get("/health/ready")
        finally:
            own_kafka.start()
        assert [response.status_code for response in responses] == [201, 201, 201]
        assert ready.status_code == 503 and ready.json()["checks"]["kafka"] is False

        accepted = {response.json()["report_id"] for response in responses}

        async def all_published() -> bool:
            # A fresh reader each time: a consumer that connected during the broker's restart may stall.
            async with reading(own_kafka.bootstrap_servers, REPORT_RECEIVED, from_beginning=True) as received:
                try:
                    records = await received.read(len(accepted), timeout=5)
                except TimeoutError:
                    return False
            return {json.loads(record.value)["report_id"] for record in records} == accepted

        await eventually(all_published, 120, "the reports to be published")

        connection = await asyncpg.connect(url)
        try:

            async def outbox_drained() -> bool:  # the reports' progress notes follow them out
                return await connection.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0

            await eventually(outbox_drained, 60, "the outbox to drain")
        finally:
            await connection.close()
