"""The running service's gazetteer: loaded from the database at start-up, reloaded when the division
data or the aliases are loaded again."""

import asyncio
import logging

import asyncpg

from services.referral.gazetteer import Gazetteer
from services.referral.gazetteer_sources import gazetteer_from_database, reference_version

log = logging.getLogger(__name__)


class GazetteerKeeper:
    def __init__(self) -> None:
        self.current = Gazetteer([])
        self._version: str | None = None

    async def refresh(self, pool: asyncpg.Pool) -> None:
        async with pool.acquire() as connection:
            version = await reference_version(connection)
            if version == self._version:
                return
            gazetteer = await gazetteer_from_database(connection)
        self.current, self._version = gazetteer, version
        log.info("gazetteer loaded: %d divisions", len(gazetteer))

    async def keep_fresh(self, pool: asyncpg.Pool, every: float = 30.0) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await self.refresh(pool)
            except (OSError, asyncpg.PostgresError) as error:
                log.warning("gazetteer refresh failed (%s); keeping the loaded one", type(error).__name__)
