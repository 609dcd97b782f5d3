"""Watching dead-letter topics: each record set aside is handed on as what may be known of it (where it lies,
where it came from, why it failed, and which report and event it is about when its body says so), never its
body. The offsets are committed once the handler is done; a failure leaves them uncommitted and the batch
comes again, so the handler must change nothing the second time it sees a (topic, partition, offset)."""

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from shared.batch_subscriber import batch_subscriber
from shared.consuming import Redeliver
from shared.domain.text import UNSTORABLE
from shared.logs import scrub
from shared.topics import dead_letter_topic

log = logging.getLogger(__name__)

LONGEST_HEADER = 300  # ours are far shorter; anyone may write to a topic


@dataclass(frozen=True)
class DeadLetterSeen:
    topic: str  # the dead-letter topic
    partition: int
    offset: int
    at: datetime  # when it was set aside
    source_topic: str | None
    consumer_group: str | None  # who set it aside
    error: str
    report_id: UUID | None  # None when the body is not JSON or names no report
    event_id: UUID | None
    referral_id: UUID | None = None  # when the body names one


def seen(record: ConsumerRecord) -> DeadLetterSeen:
    """What may be known of a dead letter, whatever its body and headers hold (text any column can store)."""
    headers = {name: _text(value) for name, value in record.headers or ()}
    report_id, event_id = about(record.value)
    return DeadLetterSeen(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        at=_moment(record.timestamp),
        source_topic=headers.get("source_topic"),
        consumer_group=headers.get("consumer_group"),
        error=headers.get("error") or "unknown",
        report_id=report_id,
        event_id=event_id,
        referral_id=_uuid(_document(record.value).get("referral_id")),
    )


def about(body: bytes | None) -> tuple[UUID | None, UUID | None]:
    """The report and the event a body names, each None when it cannot be read."""
    document = _document(body)
    return _uuid(document.get("report_id")), _uuid(document.get("event_id"))


def _document(body: bytes | None) -> dict:
    try:
        document = json.loads(body or b"")
    except (ValueError, RecursionError):
        return {}
    return document if isinstance(document, dict) else {}


def watch_dead_letters(
    broker: KafkaBroker,
    topics: Iterable[str],
    group_id: str,
    handle: Callable[[list[DeadLetterSeen]], Awaitable[None]],
    batch: int = 500,
    poll_ms: int = 2000,
    retry_delay: float = 1.0,
) -> object:
    """Subscribes `handle` to the dead-letter topics of `topics`, a batch at a time."""

    @batch_subscriber(
        broker,
        *(dead_letter_topic(topic) for topic in topics),
        group_id=group_id,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        max_records=batch,
        wait_ms=poll_ms,
        title=f"{group_id}:dead-letters",
    )
    async def on_dead_letters(message: KafkaMessage) -> None:
        try:
            await handle([seen(record) for record in message.raw_message])
        except Exception as error:  # noqa: BLE001 - an outage or not, the batch comes again
            log.warning("%s: dead letters not recorded (%s); will retry", group_id, type(error).__name__)
            await asyncio.sleep(retry_delay)
            raise Redeliver from None

    return on_dead_letters


def _text(value: bytes | None) -> str | None:
    if value is None:
        return None
    return scrub(UNSTORABLE.sub("?", value.decode(errors="replace")))[:LONGEST_HEADER]


def _uuid(value: object) -> UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return UUID(value)
    except ValueError:
        return None


def _moment(milliseconds: int) -> datetime:
    try:
        return datetime.fromtimestamp(milliseconds / 1000, UTC)
    except (OverflowError, ValueError, OSError):  # a producer may stamp a record with any time
        return datetime.now(UTC)
