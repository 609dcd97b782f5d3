"""Retention on real PostgreSQL and Kafka: rows past their time go, in batches, recent and unpublished ones stay;
dead-letter topics are created with their longer retention."""

import asyncio
import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from deploy.local.process import REPO_ROOT
from shared.database import apply_migrations, create_pool
from shared.messaging import ensure_topics
from shared.retention import Kept, RetentionPolicy, purge
from shared.topics import dead_letter_topic

NO_SERVICE_MIGRATIONS = Path(__file__).parent / "no_migrations"
POLICY = RetentionPolicy(outbox_days=7, processed_events_days=30, audit_years=3)


@pytest.fixture
async def database(new_database):
    url = await new_database("retention")
    await asyncio.to_thread(apply_migrations, url, NO_SERVICE_MIGRATIONS)
    pool = await create_pool(url)
    yield url, pool
    await pool.close()


async def seed(pool, ages: dict[str, list[str | None]]) -> None:
    """Rows aged as given (a PostgreSQL interval ago; None: an outbox row not yet published)."""
    for age in ages["outbox"]:
        await pool.execute(
            "INSERT INTO outbox (event_id, topic, message_key, event_type, payload, created_at, published_at) "
            "VALUES ($1, 't', 'k', 'E', '{}', now() - coalesce($2::text, '60 days')::interval, "
            "now() - $2::text::interval)",
            uuid.uuid4(),
            age,
        )
    for age in ages["processed_events"]:
        await pool.execute(
            "INSERT INTO processed_events (event_id, topic, processed_at) VALUES ($1, 't', now() - $2::text::interval)",
            uuid.uuid4(),
            age,
        )
    for age in ages["audit_log"]:
        await pool.execute(
            "INSERT INTO audit_log (at, actor, role, scope, action) VALUES "
            "(now() - $1::text::interval, 'op-1', 'operator', '1407', 'read')",
            age,
        )


async def ages_left(pool) -> dict[str, list[int]]:
    """The days old of what is left in each table, oldest first (unpublished outbox rows as -1)."""
    columns = {"outbox": "published_at", "processed_events": "processed_at", "audit_log": "at"}
    return {
        table: [
            row[0]
            for row in await pool.fetch(
                f"SELECT coalesce(extract(day FROM now() - {column})::int, -1) AS days FROM {table} ORDER BY days DESC"
            )
        ]
        for table, column in columns.items()
    }


async def test_rows_past_their_retention_go_in_batches_and_recent_ones_stay(database, caplog):
    _, pool = database
    await seed(
        pool,
        {
            "outbox": ["8 days"] * 5 + ["6 days", None],
            "processed_events": ["31 days"] * 3 + ["29 days"],
            "audit_log": ["3 years 1 day", "3 years 2 days", "2 years 11 months"],
        },
    )
    with caplog.at_level(logging.INFO, logger="shared.retention"):
        deleted = await purge(pool, POLICY, batch=2)
    assert deleted == {Kept.OUTBOX: 5, Kept.PROCESSED_EVENTS: 3, Kept.AUDIT: 2}
    left = await ages_left(pool)
    assert left["outbox"] == [6, -1]  # the recent one, and the one never published whatever its age
    assert left["processed_events"] == [29]
    assert len(left["audit_log"]) == 1 and 1050 < left["audit_log"][0] < 1096
    assert "retention: deleted 5 row(s) of outbox older than 7 days" in caplog.messages
    assert await purge(pool, POLICY, batch=2) == {Kept.OUTBOX: 0, Kept.PROCESSED_EVENTS: 0, Kept.AUDIT: 0}


async def test_the_command_reads_the_service_settings_and_logs_each_count_as_json(referral_database):
    url = await referral_database()
    pool = await create_pool(url)
    try:
        await seed(pool, {"outbox": ["3 days"], "processed_events": ["9 days"], "audit_log": []})
        for age in ("31 days", "29 days"):  # an action's key with the answer it got, which names the child
            await pool.execute(
                "INSERT INTO idempotency_keys (caller, key, request_hash, created_at) "
                "VALUES ('station-1', $1, 'h', now() - $1::text::interval)",
                age,
            )
    finally:
        await pool.close()
    environment = os.environ | {"REFERRAL_DATABASE_URL": url, "REFERRAL_OUTBOX_RETENTION_DAYS": "2"}
    environment.pop("LOG_FORMAT", None)
    command = [sys.executable, "-m", "services.referral.entrypoints.cli.retention", "--batch", "10"]
    run = await asyncio.to_thread(
        subprocess.run, command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert {line["service"] for line in lines} == {"referral-retention"}
    assert [line["message"] for line in lines] == [
        "retention: deleted 1 row(s) of outbox older than 2 days",
        "retention: deleted 0 row(s) of processed_events older than 30 days",
        "retention: deleted 0 row(s) of audit_log older than 3 years",
        "retention: deleted 1 row(s) of idempotency_keys older than 30 days",
        "retention: anonymised 0 report(s) of cases closed more than 5 years ago",
    ]


async def test_dead_letter_topics_are_kept_longer_than_their_topics(infrastructure):
    topic = f"retention-test-{uuid.uuid4().hex[:8]}"
    bootstrap = infrastructure.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic, dead_letter_topic(topic)], partitions=1, dead_letter_days=90)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        resources = [ConfigResource(ConfigResourceType.TOPIC, name) for name in (topic, dead_letter_topic(topic))]
        (response,) = await admin.describe_configs(resources)
    finally:
        await admin.close()
    retention = {
        name: {entry[0]: entry[1] for entry in configs}["retention.ms"] for _, _, _, name, configs in response.resources
    }
    assert retention[dead_letter_topic(topic)] == str(90 * 24 * 3600 * 1000)
    assert retention[topic] == str(7 * 24 * 3600 * 1000)  # the broker's default
