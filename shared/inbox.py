"""Idempotent consumption: an event's id is recorded in the same transaction as its effect."""

from typing import TypeVar

import asyncpg

from shared.events import Event

E = TypeVar("E", bound=Event)


async def claim_event(connection: asyncpg.Connection, event: Event) -> bool:
    """True the first time an event is seen; False when it was already processed."""
    return bool(await claim_events(connection, [event]))


async def claim_events(connection: asyncpg.Connection, events: list[E]) -> list[E]:
    """The events seen for the first time, in their order, claimed in one round trip. An event delivered twice
    in one batch (a relay republishes after a crash) is returned once."""
    claimed = await connection.fetch(
        "INSERT INTO processed_events (event_id, topic) SELECT event_id, topic FROM unnest($1::uuid[], $2::text[]) "
        "AS e(event_id, topic) ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
        [event.event_id for event in events],
        [event.TOPIC for event in events],
    )
    not_yet_returned = {row["event_id"] for row in claimed}
    first_seen = []
    for event in events:
        if event.event_id in not_yet_returned:
            not_yet_returned.remove(event.event_id)
            first_seen.append(event)
    return first_seen
