"""Event consumers that commit after processing, dead-letter poison messages and wait out outages.

- A message that does not parse as its event (bad JSON, unknown schema version) goes to the topic's
  dead-letter topic with the error, and consumption carries on.
- An outage (database or network) is retried for as long as it lasts: the offset is not committed.
- Any other failure is retried a few times, then dead-lettered, so one bad record cannot block a partition.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pydantic import ValidationError

from shared.events import Event
from shared.outages import OUTAGES
from shared.topics import dead_letter_topic

log = logging.getLogger(__name__)

E = TypeVar("E", bound=Event)


class Redeliver(Exception):
    """Raised to leave the offset uncommitted so that the message is delivered again."""


def register_consumer(
    broker: KafkaBroker,
    *,
    event_type: type[E],
    group_id: str,
    handle: Callable[[E], Awaitable[None]],
    max_attempts: int = 5,
    retry_delay: float = 1.0,
    workers: int = 1,
) -> Any:
    """With several workers each is a consumer of its own in the group, committing its own partitions, so
    partitions are handled at once and each partition still in order."""
    topic = event_type.TOPIC
    to_dead_letters = broker.publisher(dead_letter_topic(topic))
    failures: dict[tuple[int, int], int] = {}

    @broker.subscriber(
        topic,
        group_id=group_id,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        max_workers=workers,
        title=f"{group_id}:{topic}",
    )
    async def on_event(message: KafkaMessage) -> None:
        record = message.raw_message
        try:
            event = event_type.model_validate_json(message.body)
        except ValidationError as error:
            await _dead_letter(to_dead_letters, message, f"invalid {event_type.__name__}: {_fields(error)}")
            return
        position = (record.partition, record.offset)
        try:
            await handle(event)
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
            await _dead_letter(to_dead_letters, message, f"handler failed: {type(error).__name__}")
        failures.pop(position, None)

    return on_event


async def _dead_letter(publisher: Any, message: KafkaMessage, error: str) -> None:
    record = message.raw_message
    log.error("dead-lettering %s[%d]@%d: %s", record.topic, record.partition, record.offset, error)
    await publisher.publish(
        message.body,
        key=record.key,
        headers={
            "error": error,
            "source_topic": record.topic,
            "source_partition": str(record.partition),
            "source_offset": str(record.offset),
        },
    )


def _fields(error: ValidationError) -> str:
    """Names the failing fields without echoing their values (they may hold personal data)."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or '<message>'}: {e['type']}" for e in error.errors())
