"""The outbox relay on real PostgreSQL and Kafka: order, acknowledgement, and waking when a writer is done."""

import asyncio
import json
from pathlib import Path

import asyncpg
import pytest

from shared.database import apply_migrations, create_pool
from shared.messaging import ensure_topics
from shared.outbox import OutboxRelay, create_producer, enqueue
from shared.topics import REPORT_RECEIVED
from tests.factories import report_received
from tests.kafka_tools import reading

NO_SERVICE_MIGRATIONS = Path(__file__).parent / "no_migrations"


@pytest.fixture
async def outbox_url(infrastructure, new_database):
    url = await new_database("outbox")
    await asyncio.to_thread(apply_migrations, url, NO_SERVICE_MIGRATIONS)
    await ensure_topics(infrastructure.kafka_bootstrap_servers, [REPORT_RECEIVED], partitions=6)
    return url


@pytest.fixture
async def outbox_pool(outbox_url):
    pool = await create_pool(outbox_url)
    yield pool
    await pool.close()


@pytest.fixture
async def producer(infrastructure):
    producer = create_producer(infrastructure.kafka_bootstrap_servers, client_id="test-outbox")
    await producer.start()
    yield producer
    await producer.stop()


async def test_rows_are_published_in_order_per_key_and_then_marked(infrastructure, outbox_pool, producer):
    events = [report_received() for _ in range(40)]
    async with outbox_pool.acquire() as connection, connection.transaction():
        for event in events:
            await enqueue(connection, event, key="same-child")

    async with reading(infrastructure.kafka_bootstrap_servers, REPORT_RECEIVED) as reader:
        published = await OutboxRelay(outbox_pool, producer, batch_size=25).publish_pending()
        published += await OutboxRelay(outbox_pool, producer, batch_size=25).publish_pending()
        records = await reader.read(40)

    assert published == 40
    assert [json.loads(record.value)["event_id"] for record in records] == [str(e.event_id) for e in events]
    assert {record.key for record in records} == {b"same-child"}
    assert dict(records[0].headers)["event_type"] == b"ReportReceived"
    assert await outbox_pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0


async def test_the_relay_wakes_on_a_new_row_without_waiting_for_its_poll(infrastructure, outbox_pool, producer):
    relay = OutboxRelay(outbox_pool, producer, poll_interval=3600)  # only the writer's release can wake it
    task = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(0.5)  # let it drain and start waiting
        event = report_received()
        async with reading(infrastructure.kafka_bootstrap_servers, REPORT_RECEIVED) as reader:
            async with outbox_pool.acquire() as connection, connection.transaction():
                await enqueue(connection, event, key=str(event.report_id))
            records = await reader.read(1, timeout=20)
        assert json.loads(records[0].value)["event_id"] == str(event.event_id)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_a_row_written_outside_the_pool_is_found_by_the_slow_poll(
    infrastructure, outbox_url, outbox_pool, producer
):
    relay = OutboxRelay(outbox_pool, producer, poll_interval=0.5)
    task = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(0.5)
        event = report_received()
        async with reading(infrastructure.kafka_bootstrap_servers, REPORT_RECEIVED) as reader:
            other = await asyncpg.connect(outbox_url)
            try:
                async with other.transaction():  # as a command-line tool or a stopped instance writes
                    await enqueue(other, event, key=str(event.report_id))
            finally:
                await other.close()
            records = await reader.read(1, timeout=20)
        assert json.loads(records[0].value)["event_id"] == str(event.event_id)
        assert await outbox_pool.fetchval("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'outbox'::regclass") == 0
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
