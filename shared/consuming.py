"""Event consumers that commit after processing, dead-letter poison messages and wait out outages.

- A message that does not parse as its event (bad JSON, unknown schema version) goes to the topic's
  dead-letter topic with the error, and consumption carries on.
- An outage (database or network) is retried for as long as it lasts: the offset is not committed.
- Any other failure is retried a few times, then dead-lettered, so one bad record cannot block a partition.
- Records are taken in batches and committed per batch: one offset commit for many records.
- A consumer that can apply a whole batch in one transaction (`handle_many`) does so; if the batch fails for
  any reason but an outage, its records are handled one by one, so a bad record is still set aside alone.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pydantic import ValidationError

from shared.batch_subscriber import batch_subscriber
from shared.events import Event
from shared.instruments import UNCOUNTED, ConsumerCounts
from shared.log_context import event_ids, log_ids
from shared.outages import OUTAGES
from shared.topics import dead_letter_topic
from shared.trace_context import NO_TRACER, Tracer, processing

log = logging.getLogger(__name__)

E = TypeVar("E", bound=Event)


class Redeliver(Exception):
    """Raised to leave the offset uncommitted so that the message is delivered again."""


def register_consumer(
    broker: KafkaBroker,
    *,
    event_type: type[E],
    group_id: str,
    handle: Callable[[E], Awaitable[None]] | None = None,
    handle_many: Callable[[list[E]], Awaitable[None]] | None = None,
    max_attempts: int = 5,
    retry_delay: float = 1.0,
    batch: int = 500,
    poll_ms: int = 2000,
    concurrency: int = 8,
    metrics: ConsumerCounts = UNCOUNTED,
    tracer: Tracer = NO_TRACER,
) -> Any:
    """Records come in batches of up to `batch`; those of one key are handled in order, up to `concurrency`
    keys at once, and the offsets are committed once the whole batch is done. A retry rewinds to the batch's
    start: handlers are idempotent, and a record already dead-lettered is not dead-lettered again.

    `handle_many` takes the batch's events in their order and must apply them all or none (one transaction).
    """
    if (handle is None) == (handle_many is None):
        raise TypeError("give either handle or handle_many")
    handle_one = _with_log_ids(handle or _one_at_a_time(handle_many))
    topic = event_type.TOPIC
    to_dead_letters = broker.publisher(dead_letter_topic(topic))
    failures: dict[tuple[int, int], int] = {}
    dead_lettered: set[tuple[int, int]] = set()

    async def dead_letter(record: ConsumerRecord, error: str) -> None:
        position = (record.partition, record.offset)
        if position not in dead_lettered:
            await _dead_letter(to_dead_letters, record, error, group_id)
            metrics.dead_lettered()
            dead_lettered.add(position)

    async def on_record(record: ConsumerRecord) -> None:
        try:
            event = event_type.model_validate_json(record.value or b"")
        except ValidationError as error:
            await dead_letter(record, f"invalid {event_type.__name__}: {_fields(error)}")
            return
        position = (record.partition, record.offset)
        try:
            await handle_one(event)
        except OUTAGES as error:
            log.warning("%s: outage while handling %s (%s); will retry", group_id, position, type(error).__name__)
            await asyncio.sleep(retry_delay)
            raise Redeliver from None
        except Exception as error:  # noqa: BLE001 - classified below
            failures[position] = failures.get(position, 0) + 1
            log.error(
                "%s: handling %s failed (%s), attempt %d",
                group_id,
                position,
                type(error).__name__,
                failures[position],
            )
            if failures[position] < max_attempts:
                await asyncio.sleep(retry_delay)
                raise Redeliver from None
            await dead_letter(record, f"handler failed: {type(error).__name__}")
        failures.pop(position, None)

    async def all_at_once(records: list[ConsumerRecord]) -> bool:
        """True when the whole batch was applied in one go; False when it must go one record at a time."""
        events = []
        for record in records:
            try:
                events.append(event_type.model_validate_json(record.value or b""))
            except ValidationError as error:
                await dead_letter(record, f"invalid {event_type.__name__}: {_fields(error)}")
        try:
            with log_ids(topic=topic), processing(tracer, group_id, records):
                await handle_many(events)
        except OUTAGES as error:
            log.warning("%s: outage while handling a batch (%s); will retry", group_id, type(error).__name__)
            await asyncio.sleep(retry_delay)
            raise Redeliver from None
        except Exception as error:  # noqa: BLE001 - the records are tried one by one instead
            log.warning("%s: a batch failed (%s); handling it one by one", group_id, type(error).__name__)
            return False
        return True

    async def in_order(records: list[ConsumerRecord]) -> None:
        for record in records:
            with processing(tracer, group_id, [record]):
                await on_record(record)

    @batch_subscriber(
        broker,
        topic,
        group_id=group_id,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        max_records=batch,
        wait_ms=poll_ms,
        title=f"{group_id}:{topic}",
    )
    async def on_events(message: KafkaMessage) -> None:
        with metrics.batch(len(message.raw_message)):
            if handle_many is not None and len(message.raw_message) > 1 and await all_at_once(message.raw_message):
                dead_lettered.difference_update((record.partition, record.offset) for record in message.raw_message)
                return
            # Records of one key (one child, one referral) are handled in order; different keys at once.
            by_key: dict[bytes | None, list[ConsumerRecord]] = {}
            for record in message.raw_message:
                by_key.setdefault(record.key, []).append(record)
            outcomes = await _bounded_gather([in_order(records) for records in by_key.values()], concurrency)
            failed = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
            if failed:
                raise failed[0]  # the batch is delivered again; what was done is not done twice
            dead_lettered.difference_update((record.partition, record.offset) for record in message.raw_message)

    return on_events


def _one_at_a_time(handle_many: Callable[[list[E]], Awaitable[None]]) -> Callable[[E], Awaitable[None]]:
    async def handle_one(event: E) -> None:
        await handle_many([event])

    return handle_one


def _with_log_ids(handle: Callable[[E], Awaitable[None]]) -> Callable[[E], Awaitable[None]]:
    async def handle_one(event: E) -> None:
        with log_ids(**event_ids(event)):
            await handle(event)

    return handle_one


async def _bounded_gather(work: list[Awaitable[None]], limit: int) -> list[BaseException | None]:
    gate = asyncio.Semaphore(limit)

    async def one(step: Awaitable[None]) -> None:
        async with gate:
            await step

    return await asyncio.gather(*(one(step) for step in work), return_exceptions=True)


async def _dead_letter(publisher: Any, record: ConsumerRecord, error: str, group_id: str) -> None:
    log.error("dead-lettering %s[%d]@%d: %s", record.topic, record.partition, record.offset, error)
    await publisher.publish(
        record.value,
        key=record.key,
        headers={
            "error": error,
            "source_topic": record.topic,
            "source_partition": str(record.partition),
            "source_offset": str(record.offset),
            "consumer_group": group_id,  # several services may read one topic; each sets aside its own
        },
    )


def _fields(error: ValidationError) -> str:
    """Names the failing fields without echoing their values (they may hold personal data)."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or '<message>'}: {e['type']}" for e in error.errors())
