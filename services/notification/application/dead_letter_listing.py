"""Every topic's dead letters, recorded as they are set aside and listed for the hotline supervisors."""

import asyncpg

from services.notification.adapters import dead_letter_repository
from services.notification.domain.dead_letters import DeadLetterEntry, shown_to
from shared.dead_letter_watch import DeadLetterSeen
from shared.domain.access import Principal

SCANNED = 2000  # the newest looked at, before those outside the caller's area are left out


async def record_dead_letters(pool: asyncpg.Pool, letters: list[DeadLetterSeen]) -> None:
    """Idempotent: a batch seen again records nothing twice."""
    async with pool.acquire() as connection:
        await dead_letter_repository.record(connection, letters)


async def dead_letters_seen_by(pool: asyncpg.Pool, caller: Principal, limit: int) -> list[DeadLetterEntry]:
    """The newest first, of the cases the caller may see."""
    async with pool.acquire() as connection:
        found = await dead_letter_repository.newest(connection, SCANNED)
    return [entry for entry in found if shown_to(caller, entry)][:limit]
