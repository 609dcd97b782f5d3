"""The ceiling the project is measured against, on the same broker and database: one raw aiokafka
produce → consume hop with a message the size of a ReportReceived, and one raw asyncpg insert of a report
row, each at the same fixed rate as the pipeline and then flat out."""

import asyncio
import json
import time
import uuid

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from benchmarks.pipeline.stats import summary
from shared.database import ensure_database
from shared.kafka_connection import kafka_connection
from shared.messaging import ensure_topics

TOPIC = "benchmark.ceiling.v1"


async def kafka_hop(bootstrap: str, size: int, rate: float, count: int) -> dict:
    """Per-message hop latency at a fixed rate, and messages per second flat out."""
    await ensure_topics(bootstrap, [TOPIC], partitions=6)
    producer = AIOKafkaProducer(**kafka_connection(bootstrap).client_options(), enable_idempotence=True, linger_ms=2)
    consumer = AIOKafkaConsumer(
        TOPIC, **kafka_connection(bootstrap).client_options(), auto_offset_reset="latest", group_id=None
    )
    await producer.start()
    await consumer.start()
    await asyncio.sleep(2)
    sent: dict[bytes, float] = {}
    hops: list[float] = []

    async def receive(expected: int) -> None:
        async for record in consumer:
            if record.key in sent:
                hops.append((time.perf_counter() - sent.pop(record.key)) * 1000)
            if len(hops) >= expected:
                return

    try:
        padding = b"x" * size
        paced = asyncio.create_task(receive(count))
        start = time.perf_counter()
        for i in range(count):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            key = uuid.uuid4().bytes
            sent[key] = time.perf_counter()
            await producer.send(TOPIC, value=padding, key=key)
        await asyncio.wait_for(paced, 60)
        latency = summary(hops)

        flat = 20_000
        hops.clear()
        drained = asyncio.create_task(receive(flat))
        start = time.perf_counter()
        batch = []
        for _ in range(flat):
            key = uuid.uuid4().bytes
            sent[key] = time.perf_counter()
            batch.append(await producer.send(TOPIC, value=padding, key=key))
        await asyncio.gather(*batch)
        await asyncio.wait_for(drained, 120)
        throughput = flat / (time.perf_counter() - start)
    finally:
        await consumer.stop()
        await producer.stop()
    return {"latency": latency, "per_second": throughput}


async def postgres_insert(admin_url: str, row_bytes: int, rate: float, count: int) -> dict:
    """One report row per transaction: latency at a fixed rate, and rows per second from 16 writers."""
    url = await ensure_database(admin_url, f"benchmark_ceiling_{uuid.uuid4().hex[:6]}")
    pool = await asyncpg.create_pool(url, min_size=16, max_size=16)
    await pool.execute("CREATE TABLE reports (report_id uuid PRIMARY KEY, body jsonb, created_at timestamptz)")
    body = json.dumps({"pad": "x" * row_bytes})
    latencies: list[float] = []

    async def insert() -> None:
        started = time.perf_counter()
        async with pool.acquire() as connection, connection.transaction():
            await connection.execute("INSERT INTO reports VALUES ($1, $2, now())", uuid.uuid4(), body)
        latencies.append((time.perf_counter() - started) * 1000)

    try:
        tasks, start = [], time.perf_counter()
        for i in range(count):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(insert()))
        await asyncio.gather(*tasks)
        latency = summary(latencies)

        flat, start = 20_000, time.perf_counter()

        async def writer() -> None:
            for _ in range(flat // 16):
                await insert()

        await asyncio.gather(*(writer() for _ in range(16)))
        throughput = flat / (time.perf_counter() - start)
    finally:
        await pool.close()
    return {"latency": latency, "per_second": throughput}
