"""Draining a backlog: referral is stopped, a backlog of ReportReceived events is put on Kafka, and referral
is started again; the time until its consumer group has no lag left is the drain time."""

import asyncio
import time
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from benchmarks.pipeline.probes import consumer_lag
from deploy.local.detached import DetachedSystem
from shared.events import ReportedChild, ReportReceived, utcnow
from shared.kafka_connection import kafka_connection
from shared.topics import REPORT_RECEIVED


async def produce_backlog(bootstrap: str, count: int) -> None:
    producer = AIOKafkaProducer(**kafka_connection(bootstrap).client_options(), enable_idempotence=True, linger_ms=20)
    await producer.start()
    try:
        pending = []
        for _ in range(count):
            event = ReportReceived(
                report_id=uuid.uuid4(),
                received_at=utcnow(),
                child=ReportedChild(division_code="140724104", age=9),
                concerns=["neglect"],
                narrative="孩子父母外出务工，长期独自在家，无人照看。",
            )
            pending.append(
                await producer.send(REPORT_RECEIVED, event.model_dump_json().encode(), key=event.report_id.bytes)
            )
            if len(pending) >= 5000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()


async def run(system: DetachedSystem, bootstrap: str, count: int, group: str = "referral") -> dict:
    system.stop_service("referral")
    await produce_backlog(bootstrap, count)
    admin = AIOKafkaAdminClient(**kafka_connection(bootstrap).client_options())
    offsets = AIOKafkaConsumer(**kafka_connection(bootstrap).client_options(), group_id=None)
    await admin.start()
    await offsets.start()
    try:
        backlog = await consumer_lag(admin, offsets, group)
        started = time.perf_counter()
        system.start_service("referral")
        await asyncio.to_thread(system.wait_ready, "referral")
        ready = time.perf_counter()
        while (lag := await consumer_lag(admin, offsets, group)) > 0 and time.perf_counter() - started < 1800:
            await asyncio.sleep(0.5)
        drained = time.perf_counter()
    finally:
        await offsets.stop()
        await admin.close()
    return {
        "backlog": backlog,
        "left": lag,
        "start_seconds": ready - started,
        "drain_seconds": drained - ready,
        "per_second": backlog / (drained - ready),
    }
