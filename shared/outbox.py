"""Transactional outbox: events are stored with the change they announce and published by a relay.

The relay publishes unpublished rows in id order with an idempotent producer, and marks them published
only after Kafka acknowledged them. A crash between the two republishes the rows: consumers are idempotent
on the event id. A pooled connection that wrote rows wakes the relays of its own process when it goes back to
the pool, its transaction over; rows written elsewhere (another instance that stopped, a command-line tool)
wait for the relay's slow poll. No trigger: a NOTIFY at every commit would serialise all the database's commits.
"""

import asyncio
import contextlib
import logging
import weakref

import asyncpg
from aiokafka import AIOKafkaProducer

from shared.events import Event
from shared.kafka_connection import KafkaTarget, kafka_connection
from shared.trace_context import current_trace_context, resumed

log = logging.getLogger(__name__)

INSERT = (
    "INSERT INTO outbox (event_id, topic, message_key, event_type, payload, traceparent, tracestate) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)"
)


_relays: "weakref.WeakSet[OutboxRelay]" = weakref.WeakSet()  # running in this process
_writers: set[int] = set()  # the backends of pooled connections that wrote rows since they were taken


async def enqueue(connection: asyncpg.Connection, event: Event, key: str) -> None:
    """Adds the event to the outbox; call inside the transaction that makes the change."""
    await connection.execute(INSERT, *_row(event, key))
    _writers.add(connection.get_server_pid())


async def enqueue_many(connection: asyncpg.Connection, events: list[tuple[Event, str]]) -> None:
    """Adds (event, key) pairs to the outbox in one round trip; call inside the transaction."""
    await connection.executemany(INSERT, [_row(event, key) for event, key in events])
    _writers.add(connection.get_server_pid())


def released(connection: asyncpg.Connection) -> None:
    """Called as a pooled connection goes back to its pool, committed or rolled back: wakes the relays if it
    wrote rows (after a rollback they find none and wait again)."""
    if _writers and connection.get_server_pid() in _writers:
        _writers.discard(connection.get_server_pid())
        for relay in _relays:
            relay.wake()


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

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Publishes until cancelled; outages of Kafka or PostgreSQL are waited out."""
        _relays.add(self)
        try:
            while True:
                try:
                    self._wake.clear()
                    while await self.publish_pending() == self._batch_size:
                        pass
                except Exception as error:  # noqa: BLE001 - any outage: wait, then try again
                    log.warning("outbox relay: publishing failed (%s); retrying", type(error).__name__)
                    await asyncio.sleep(1.0)
                    continue
                await self._wait_for_rows()
        finally:
            _relays.discard(self)

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

    async def _wait_for_rows(self) -> None:
        with contextlib.suppress(TimeoutError):  # the slow poll finds rows no wake-up announced
            await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)
