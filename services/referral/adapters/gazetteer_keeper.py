"""The running service's gazetteer: loaded from the database at start-up, reloaded when the division
data or the aliases are loaded again."""

import gc
import logging

import asyncpg

from services.referral.adapters.gazetteer_sources import gazetteer_from_database, reference_version
from services.referral.domain.gazetteer import Gazetteer
from shared.refreshing import refresh_every

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
        # The gazetteer is millions of long-lived objects; left to the collector, every full collection walks
        # them all, a pause in the middle of routing. Frozen, they are skipped (and still freed when replaced).
        gc.freeze()
        log.info("gazetteer loaded: %d divisions", len(gazetteer))

    async def keep_fresh(self, pool: asyncpg.Pool, every: float = 30.0) -> None:
        await refresh_every(every, lambda: self.refresh(pool), "gazetteer")
