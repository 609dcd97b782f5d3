"""Transactional outbox: events are stored with the change they announce and published by a relay.

The relay wakes on PostgreSQL notifications (and polls slowly as a safety net), publishes unpublished
rows in id order with an idempotent producer, and marks them published only after Kafka acknowledged
them. A crash between the two republishes the rows: consumers are idempotent on the event id.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable

import asyncpg
from aiokafka import AIOKafkaProducer

from shared.events import Event
from shared.kafka_connection import KafkaTarget, kafka_connection
from shared.trace_context import current_trace_context, resumed

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "outbox"
INSERT = (
    "INSERT INTO outbox (event_id, topic, message_key, event_type, payload, traceparent, tracestate) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)"
)


async def enqueue(connection: asyncpg.Connection, event: Event, key: str) -> None:
    """Adds the event to the outbox; call inside the transaction that makes the change."""
    await connection.execute(INSERT, *_row(event, key))


async def enqueue_many(connection: asyncpg.Connection, events: list[tuple[Event, str]]) -> None:
    """Adds (event, key) pairs to the outbox in one round trip; call inside the transaction."""
    await connection.executemany(INSERT, [_row(event, key) for event, key in events])


def _row(event: Event, key: str) -> tuple:
    """The row keeps the trace context of the transaction that writes it (none with tracing off)."""
    return (event.event_id, event.TOPIC, key, type(event).__name__, event.model_dump_json(), *current_trace_context())


def create_producer(kafka: KafkaTarget, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        **kafka_connection(kafka).client_options(),
        client_id=client_id,
        enable_idempotence=True,  # implies acks=all
        linger_ms=2,
    )


class OutboxRelay:
    def __init__(
        self,
        pool: asyncpg.Pool,
        producer: AIOKafkaProducer,
        batch_size: int = 500,
        poll_interval: float = 2.0,
    ) -> None:
        self._pool = pool
        self._producer = producer
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._wake = asyncio.Event()

    async def run(self) -> None:
        """Publishes until cancelled; outages of Kafka or PostgreSQL are waited out."""
        listener = None
        try:
            while True:
                try:
                    if listener is None or listener.is_closed():
                        listener = await self._listen()
                    self._wake.clear()
                    while await self.publish_pending() == self._batch_size:
                        pass
                except Exception as error:  # noqa: BLE001 - any outage: wait, then try again
                    log.warning("outbox relay: publishing failed (%s); retrying", type(error).__name__)
                    listener = await _close_quietly(listener)
                    await asyncio.sleep(1.0)
                    continue
                await self._wait_for_rows()
        finally:
            await _close_quietly(listener)

    async def publish_pending(self) -> int:
        """Publishes one batch of unpublished rows; returns how many were published."""
        async with self._pool.acquire() as connection, connection.transaction():
            rows = await connection.fetch(
                "SELECT id, topic, message_key, event_type, payload, traceparent, tracestate FROM outbox "
                "WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE",
                self._batch_size,
            )
            if not rows:
                return 0
            deliveries = []
            for row in rows:
                # Sent in the context the row keeps: the aiokafka instrumentation's send span is its child and
                # puts its own traceparent and tracestate in the record's headers.
                with resumed(row["traceparent"], row["tracestate"]):
                    delivery = await self._producer.send(
                        row["topic"],
                        value=row["payload"].encode(),
                        key=row["message_key"].encode(),
                        headers=[("event_type", row["event_type"].encode()), ("content-type", b"application/json")],
                    )
                deliveries.append(delivery)
            await asyncio.gather(*deliveries)
            await connection.execute(
                "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])",
                [row["id"] for row in rows],
            )
        return len(rows)

    async def _listen(self) -> "_PooledListener":
        listener = _PooledListener(self._pool, await self._pool.acquire(), lambda *_: self._wake.set())
        await listener.listen()
        return listener

    async def _wait_for_rows(self) -> None:
        with contextlib.suppress(TimeoutError):  # the slow poll is the safety net for lost notifications
            await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)


class _PooledListener:
    """A pooled connection held for LISTEN, released to the pool when closed."""

    def __init__(self, pool: asyncpg.Pool, connection: asyncpg.Connection, callback: Callable) -> None:
        self._pool = pool
        self._connection = connection
        self._callback = callback

    async def listen(self) -> None:
        await self._connection.add_listener(NOTIFY_CHANNEL, self._callback)

    def is_closed(self) -> bool:
        return self._connection.is_closed()

    async def close(self) -> None:
        """Never raises: the connection may already be broken, or gone with its server."""
        try:
            await self._connection.remove_listener(NOTIFY_CHANNEL, self._callback)
            await self._pool.release(self._connection, timeout=2)
        except Exception:  # noqa: BLE001
            with contextlib.suppress(Exception):
                self._connection.terminate()
                await self._pool.release(self._connection)


async def _close_quietly(listener: "_PooledListener | None") -> None:
    if listener is not None:
        await listener.close()
    return None
