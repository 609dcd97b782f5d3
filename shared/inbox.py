"""Idempotent consumption: an event's id is recorded in the same transaction as its effect."""

from uuid import UUID

import asyncpg


async def claim_event(connection: asyncpg.Connection, event_id: UUID, topic: str) -> bool:
    """True the first time an event is seen; False when it was already processed."""
    claimed = await connection.fetchval(
        "INSERT INTO processed_events (event_id, topic) VALUES ($1, $2) "
        "ON CONFLICT (event_id) DO NOTHING RETURNING true",
        event_id,
        topic,
    )
    return bool(claimed)
