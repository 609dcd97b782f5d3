"""The division picker, address resolution and the routing preview for the operator's page. Nothing here
is stored or logged: an address typed for a preview is read and forgotten."""

from collections.abc import Callable

from services.referral.adapters.database import ReferralDatabase
from services.referral.domain.gazetteer import Division, Gazetteer
from services.referral.domain.preview import Preview, preview_of, read_for_preview
from services.referral.domain.resolution import Resolution
from services.referral.domain.resolver import resolve
from services.referral.domain.routing import Routing, route
from shared.domain.problems import NotFound


class DivisionQueries:
    def __init__(self, database: ReferralDatabase, gazetteer: Callable[[], Gazetteer]) -> None:
        self.database = database
        self.gazetteer = gazetteer

    async def provinces(self) -> list[dict]:
        async with self.database.connect() as connection:
            return await connection.divisions.provinces()

    async def children(self, code: str) -> list[dict]:
        async with self.database.connect() as connection:
            children = await connection.divisions.children(code)
            if not children and not await connection.divisions.exists(code):
                raise NotFound("没有这个区划代码")
        return children

    def path(self, code: str) -> tuple[Division, ...]:
        if code not in self.gazetteer().by_code:
            raise NotFound("没有这个区划代码")
        return self.gazetteer().path(code)

    async def resolve(self, address: str, division_code: str | None, county: str | None) -> tuple[Resolution, Routing]:
        """Where the child would be placed, and who would receive the report."""
        resolution = resolve(self.gazetteer(), address, division_code, county)
        return resolution, await self._routing(resolution)

    async def routing_preview(self, address: str | None, division_code: str | None) -> Preview:
        """What the operator's page shows while an address is typed or a candidate picked."""
        resolution = read_for_preview(self.gazetteer(), address, division_code)
        return preview_of(resolution, await self._routing(resolution))

    async def preview(self, division_code: str) -> Routing:
        return await self._routing(resolve(self.gazetteer(), None, division_code))

    async def _routing(self, resolution: Resolution) -> Routing:
        code = resolution.place.code if resolution.place else None
        async with self.database.connect() as connection:
            return route(resolution, await connection.stations.covering([code]))
