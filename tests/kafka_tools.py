"""Small real-broker helpers for tests: produce raw records, read what arrives on a topic."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord


async def produce(bootstrap: str, topic: str, value: bytes, key: bytes | None = None) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=key)
    finally:
        await producer.stop()


class TopicReader:
    """Reads records that arrive on a topic after it was opened."""

    def __init__(self, consumer: AIOKafkaConsumer) -> None:
        self._consumer = consumer

    async def read(self, count: int, timeout: float = 30) -> list[ConsumerRecord]:
        records: list[ConsumerRecord] = []

        async def collect() -> None:
            while len(records) < count:
                batch = await self._consumer.getmany(timeout_ms=500)
                for partition_records in batch.values():
                    records.extend(partition_records)

        await asyncio.wait_for(collect(), timeout)
        return records

    async def find(self, matches: Callable[[ConsumerRecord], bool], timeout: float = 30) -> ConsumerRecord:
        """The first record that matches, skipping others (a shared topic carries other tests' events)."""

        async def search() -> ConsumerRecord:
            while True:
                batch = await self._consumer.getmany(timeout_ms=500)
                for partition_records in batch.values():
                    for record in partition_records:
                        if matches(record):
                            return record

        return await asyncio.wait_for(search(), timeout)


@asynccontextmanager
async def reading(bootstrap: str, topic: str) -> AsyncIterator[TopicReader]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"test-reader-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="latest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        await _wait_for_assignment(consumer)
        yield TopicReader(consumer)
    finally:
        await consumer.stop()


async def _wait_for_assignment(consumer: AIOKafkaConsumer) -> None:
    for _ in range(100):
        if consumer.assignment():
            for partition in consumer.assignment():
                await consumer.position(partition)  # pin "latest" before anything is produced
            return
        await consumer.getmany(timeout_ms=100)
    raise TimeoutError("test reader got no partitions")
