"""Keeping the receivers: the stations and centres from referral's directory events, and the committees, the
hotline supervisors' lead and the 12345 platform clients an administrator enters (one at a time, or a whole
file at once)."""

import asyncpg

from services.notification.adapters.receiver_repository import ReceiverRepository
from services.notification.domain.receivers import (
    EnteredPlatformClient,
    EnteredReceiver,
    Receiver,
    ReceiverKind,
    known_scopes,
)
from shared.database import one_transaction
from shared.domain.access import KnownScopes
from shared.events import StationDirectoryChanged, utcnow
from shared.inbox import claim_event


async def keep_directory_entry(pool: asyncpg.Pool, entry: StationDirectoryChanged) -> None:
    """Stores a station's or centre's entry unless a newer one is already here."""
    async with pool.acquire() as connection, connection.transaction():
        if await claim_event(connection, entry):
            await ReceiverRepository(connection).keep_directory_entry(entry)


async def save_entered(pool: asyncpg.Pool, receiver: EnteredReceiver | EnteredPlatformClient) -> Receiver:
    async with pool.acquire() as connection:
        return await ReceiverRepository(connection).save_entered(receiver, utcnow())


async def import_entered(database_url: str, receivers: list[EnteredReceiver]) -> None:
    """All of them, or none."""
    async with one_transaction(database_url) as connection:
        for receiver in receivers:
            await ReceiverRepository(connection).save_entered(receiver, utcnow())


async def list_receivers(pool: asyncpg.Pool, kind: ReceiverKind | None, code_prefix: str | None) -> list[Receiver]:
    async with pool.acquire() as connection:
        return await ReceiverRepository(connection).listed(kind, code_prefix)


async def scope_directory(pool: asyncpg.Pool) -> KnownScopes:
    async with pool.acquire() as connection:
        return known_scopes(await ReceiverRepository(connection).kinds())
