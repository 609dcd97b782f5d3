"""Reloading something kept in memory at an interval, keeping the loaded copy when the database is away."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

import asyncpg

log = logging.getLogger(__name__)


async def refresh_every(seconds: float, refresh: Callable[[], Awaitable[None]], what: str) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            await refresh()
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("%s refresh failed (%s); keeping the loaded one", what, type(error).__name__)
