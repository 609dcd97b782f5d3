"""The service's scope directory, kept in memory: every request's scope is checked against it, so the check is a
set lookup, never a query. It is reloaded at an interval and, when a scope is not found, at once (a station added a
moment ago), at most once a second so that unknown scopes cannot make every request a query.

A loader answers None while the service's reference data was never loaded: no scoped caller can be checked then,
and is answered 503 (as a report with a division code is) until it is."""

import asyncio
import time
from collections.abc import Awaitable, Callable

from shared.domain.access import KnownScopes, Principal, ScopeDirectory, scope_fits
from shared.domain.problems import NotReady
from shared.refreshing import refresh_every

RECHECK_AFTER_SECONDS = 1.0
NOT_LOADED = "区划代码表尚未载入，暂时无法核对访问范围，请稍后重试"


class ScopeKeeper:
    def __init__(
        self, load: Callable[[], Awaitable[ScopeDirectory | None]], recheck_after: float = RECHECK_AFTER_SECONDS
    ):
        self.current: ScopeDirectory = KnownScopes()
        self.loaded = False
        self._load, self._recheck_after = load, recheck_after
        self._loaded_at: float | None = None
        self._lock = asyncio.Lock()

    async def refresh(self) -> None:
        directory = await self._load()
        self.current = directory if directory is not None else KnownScopes()
        self.loaded, self._loaded_at = directory is not None, time.monotonic()

    async def keep_fresh(self, every: float = 30.0) -> None:
        await refresh_every(every, self.refresh, "scope directory")

    async def fits(self, principal: Principal) -> bool:
        """Whether the scope fits; NotReady when it does not and the directory was never loaded."""
        return await self._holds(lambda directory: scope_fits(principal, directory))

    async def knows_area(self, code: str) -> bool:
        """Whether a code asked about names a province, city or county, or a station, of the directory."""
        return await self._holds(lambda directory: directory.is_area(code) or directory.is_station(code))

    async def knows_county(self, code: str) -> bool:
        return await self._holds(lambda directory: directory.is_county(code))

    async def _holds(self, check: Callable[[ScopeDirectory], bool]) -> bool:
        if check(self.current):
            return True
        async with self._lock:
            if self._loaded_at is None or time.monotonic() - self._loaded_at >= self._recheck_after:
                await self.refresh()
        if check(self.current):
            return True
        if not self.loaded:
            raise NotReady(NOT_LOADED)
        return False
