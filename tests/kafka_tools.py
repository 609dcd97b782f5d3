"""Small real-broker helpers for tests: produce raw records, read what arrives on a topic."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from shared.kafka_connection import kafka_connection
from shared.messaging import ensure_topics


async def produce(bootstrap: str, topic: str, value: bytes, key: bytes | None = None) -> None:
    await produce_many(bootstrap, topic, [(value, key)])


async def produce_many(bootstrap: str, topic: str, records: list[tuple[bytes, bytes | None]]) -> None:
    """Sends (value, key) pairs in their order and waits until the broker has them all."""
    producer = AIOKafkaProducer(**kafka_connection(bootstrap).client_options(), enable_idempotence=True)
    await producer.start()
    try:
        sent = [await producer.send(topic, value=value, key=key) for value, key in records]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


class TopicReader:
    def __init__(self, consumer: AIOKafkaConsumer, pending: list[ConsumerRecord]) -> None:
        self._consumer = consumer
        self._pending = pending

    async def _next_batch(self) -> list[ConsumerRecord]:
        if self._pending:
            batch, self._pending = self._pending, []
            return batch
        fetched = await self._consumer.getmany(timeout_ms=500)
        return [record for partition_records in fetched.values() for record in partition_records]

    async def read(self, count: int, timeout: float = 30) -> list[ConsumerRecord]:
        records: list[ConsumerRecord] = []

        async def collect() -> None:
            while len(records) < count:
                records.extend(await self._next_batch())

        await asyncio.wait_for(collect(), timeout)
        return records

    async def find(self, matches: Callable[[ConsumerRecord], bool], timeout: float = 30) -> ConsumerRecord:
        """The first record that matches, skipping others (a shared topic carries other tests' events)."""

        async def search() -> ConsumerRecord:
            while True:
                batch = await self._next_batch()
                for index, record in enumerate(batch):
                    if matches(record):
                        self._pending = batch[index + 1 :] + self._pending
                        return record

        return await asyncio.wait_for(search(), timeout)

    async def read_matching(
        self, matches: Callable[[ConsumerRecord], bool], count: int, timeout: float = 30
    ) -> list[ConsumerRecord]:
        """The first `count` records that match, skipping others."""
        found: list[ConsumerRecord] = []

        async def collect() -> None:
            while len(found) < count:
                found.extend(record for record in await self._next_batch() if matches(record))

        await asyncio.wait_for(collect(), timeout)
        return found


@asynccontextmanager
async def reading(bootstrap: str, topic: str, from_beginning: bool = False) -> AsyncIterator[TopicReader]:
    """Reads every partition of a topic from now on, or from its beginning (no consumer group)."""
    consumer = AIOKafkaConsumer(**kafka_connection(bootstrap).client_options(), enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = await partitions_of(bootstrap, topic)
        consumer.assign(partitions)
        offsets = await (consumer.beginning_offsets if from_beginning else consumer.end_offsets)(partitions)
        for partition, offset in offsets.items():
            consumer.seek(partition, offset)
        yield TopicReader(consumer, [])
    finally:
        await consumer.stop()


async def partitions_of(bootstrap: str, topic: str) -> list[TopicPartition]:
    producer = AIOKafkaProducer(**kafka_connection(bootstrap).client_options())  # its partitions_for() fetches metadata
    await producer.start()
    try:
        numbers = await producer.partitions_for(topic)
    finally:
        await producer.stop()
    return [TopicPartition(topic, number) for number in sorted(numbers)]


async def start_group_at_end(bootstrap: str, group: str, topics: list[str]) -> None:
    """Commits a new consumer group's offsets at the topics' ends, so that it reads only what comes next."""
    await ensure_topics(bootstrap, topics, partitions=6)
    partitions = [tp for topic in topics for tp in await partitions_of(bootstrap, topic)]
    consumer = AIOKafkaConsumer(
        **kafka_connection(bootstrap).client_options(), group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.commit({tp: offset for tp, offset in ends.items()})
    finally:
        await consumer.stop()
