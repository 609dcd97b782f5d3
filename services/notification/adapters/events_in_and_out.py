"""The inbox and the outbox of this service's transactions: an event consumed once, and the events a change
announces, stored with it."""

from typing import TypeVar

import asyncpg

from shared.events import Event
from shared.inbox import claim_events
from shared.outbox import enqueue_many

E = TypeVar("E", bound=Event)


class PostgresInbox:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def claim(self, events: list[E]) -> list[E]:
        """The events seen for the first time, in their order."""
        return await claim_events(self._connection, events)


class PostgresOutbox:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def enqueue(self, events: list[tuple[Event, str]]) -> None:
        """Adds (event, key) pairs to the outbox, in this order."""
        if events:
            await enqueue_many(self._connection, events)
