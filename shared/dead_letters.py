"""Dead letters: show them without their bodies, and replay chosen ones to their source topic.

    .venv/bin/python -m shared.dead_letters show [--topic T]
    .venv/bin/python -m shared.dead_letters replay --topic T (--all | --offset P:O ...)

Reading assigns partitions by hand (no consumer group, so nothing is committed) and stops at the end
offsets taken when it starts, so the command always ends.

Each replayed dead letter is recorded in the compacted topic `<topic>.dead-letter.replayed`, keyed by
`<partition>:<offset>`, and a later replay skips it. The record lives beside the dead letters, needs no
service's database, and a tombstone for a key allows that dead letter to be replayed again. It is written
after the source topic acknowledged the event, so a crash in between (or two replays at once) can
publish an event twice: harmless, since consumers deduplicate on the event id (shared/inbox.py).
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code

from shared.kafka_connection import KafkaTarget, kafka_connection
from shared.logs import scrub
from shared.outbox import create_producer
from shared.topics import ALL_TOPICS, dead_letter_topic


def replayed_topic(topic: str) -> str:
    return f"{dead_letter_topic(topic)}.replayed"


@dataclass(frozen=True)
class DeadLetter:
    """What may be shown of a dead letter: where it is and came from, and why; never its body."""

    topic: str
    partition: int
    offset: int
    source: str  # "topic:partition:offset" from the headers
    error: str
    timestamp: datetime
    body_size: int
    replayed: bool


@dataclass
class ReplayReport:
    replayed: dict[str, str] = field(default_factory=dict)  # "partition:offset" -> "topic:partition:offset"
    already_replayed: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)


async def list_dead_letters(kafka: KafkaTarget, topics: Collection[str] = ALL_TOPICS) -> list[DeadLetter]:
    found: list[DeadLetter] = []
    for topic in topics:
        records, done = await _read_dead_letters(kafka, topic)
        found += [_describe(record, _position(record) in done) for record in records]
    return found


async def replay(kafka: KafkaTarget, topic: str, positions: Collection[tuple[int, int]] | None = None) -> ReplayReport:
    """Republishes the dead letters at `positions` ((partition, offset) pairs), or all when None."""
    records, done = await _read_dead_letters(kafka, topic, create_replayed_topic=True)
    report = ReplayReport()
    if positions is not None:
        wanted = {f"{partition}:{offset}" for partition, offset in positions}
        records = [record for record in records if _position(record) in wanted]
        report.not_found = sorted(wanted - {_position(record) for record in records})
    producer = create_producer(kafka, client_id="dead-letters-replay")
    await producer.start()
    try:
        for record in records:
            position = _position(record)
            if position in done:
                report.already_replayed.append(position)
                continue
            sent = await producer.send_and_wait(
                topic,  # a dead-letter topic holds one source topic's records; no header chooses where to write
                value=record.value,
                key=record.key,
                headers=[("replayed_from", f"{record.topic}:{position}".encode())],
            )
            where = f"{sent.topic}:{sent.partition}:{sent.offset}"
            await producer.send_and_wait(replayed_topic(topic), key=position.encode(), value=where.encode())
            report.replayed[position] = where
    finally:
        await producer.stop()
    return report


async def _read_dead_letters(
    kafka: KafkaTarget, topic: str, create_replayed_topic: bool = False
) -> tuple[list[ConsumerRecord], set[str]]:
    """The topic's dead letters in (partition, offset) order, and the positions already replayed."""
    dead_letters, replayed = dead_letter_topic(topic), replayed_topic(topic)
    existing = await _existing_topics(kafka, [dead_letters, replayed])
    if dead_letters not in existing:
        return [], set()
    if create_replayed_topic and replayed not in existing:
        await _create_compacted_topic(kafka, replayed, replication=existing[dead_letters].replication)
    partitions = [tp for name in (dead_letters, replayed) if name in existing for tp in existing[name].partitions]
    records = await _read_to_end(kafka, partitions)
    done: set[str] = set()
    for marker in (record for record in records if record.topic == replayed):
        if marker.value is None:  # a tombstone: may be replayed again
            done.discard(marker.key.decode())
        else:
            done.add(marker.key.decode())
    letters = [record for record in records if record.topic == dead_letters]
    return sorted(letters, key=lambda record: (record.partition, record.offset)), done


@dataclass(frozen=True)
class _Topic:
    partitions: list[TopicPartition]
    replication: int


async def _existing_topics(kafka: KafkaTarget, topics: list[str]) -> dict[str, _Topic]:
    """Those of `topics` that exist. The admin's metadata asks for no topic that is missing, so none is
    waited for or auto-created."""
    admin = AIOKafkaAdminClient(**kafka_connection(kafka).client_options())
    await admin.start()
    try:
        present = set(await admin.list_topics())
        existing = [name for name in topics if name in present]
        described = await admin.describe_topics(existing) if existing else []
    finally:
        await admin.close()
    return {
        topic["topic"]: _Topic(
            [TopicPartition(topic["topic"], partition["partition"]) for partition in topic["partitions"]],
            replication=len(topic["partitions"][0]["replicas"]),
        )
        for topic in described
    }


async def _create_compacted_topic(kafka: KafkaTarget, name: str, replication: int) -> None:
    admin = AIOKafkaAdminClient(**kafka_connection(kafka).client_options())
    await admin.start()
    try:
        topic = NewTopic(name, 1, replication, topic_configs={"cleanup.policy": "compact"})
        response = await admin.create_topics([topic])
    finally:
        await admin.close()
    for _, code, *_ in response.topic_errors:
        if code not in (0, TopicAlreadyExistsError.errno):  # already there: another replay was first
            raise for_code(code)(name)


async def _read_to_end(kafka: KafkaTarget, partitions: list[TopicPartition]) -> list[ConsumerRecord]:
    options = kafka_connection(kafka).client_options()
    consumer = AIOKafkaConsumer(**options, group_id=None, enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    try:
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.seek_to_beginning(*partitions)
        records: list[ConsumerRecord] = []
        remaining = list(partitions)
        while remaining := [tp for tp in remaining if await consumer.position(tp) < ends[tp]]:
            for tp, batch in (await consumer.getmany(*remaining, timeout_ms=1000)).items():
                records += [record for record in batch if record.offset < ends[tp]]
        return records
    finally:
        await consumer.stop()


def _describe(record: ConsumerRecord, replayed: bool) -> DeadLetter:
    source = ":".join(_header(record, name) or "?" for name in ("source_topic", "source_partition", "source_offset"))
    return DeadLetter(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        source=source,
        error=scrub(_header(record, "error") or "?"),  # ours names fields only; scrubbed all the same
        timestamp=datetime.fromtimestamp(record.timestamp / 1000, UTC),
        body_size=len(record.value or b""),
        replayed=replayed,
    )


def _position(record: ConsumerRecord) -> str:
    return f"{record.partition}:{record.offset}"


def _header(record: ConsumerRecord, name: str) -> str | None:
    value = dict(record.headers).get(name)
    return value.decode(errors="replace") if value is not None else None


if __name__ == "__main__":
    from shared.dead_letters_cli import main

    main()
