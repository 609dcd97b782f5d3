"""The stations directory: anyone may read it; an administrator adds or changes a station, checked by the
same rules as the CSV import, and the change is announced. With the division tree, it is what scopes are checked
against."""

from collections.abc import Awaitable, Callable

from services.referral.adapters.database import ReferralDatabase
from services.referral.domain.station_directory import StationIn, station_problems
from shared.domain.access import KnownScopes
from shared.domain.codes import AssigneeKind
from shared.domain.problems import FieldProblems, NotFound


class StationDirectory:
    def __init__(self, database: ReferralDatabase, changed: Callable[[], Awaitable[None]] | None = None) -> None:
        self.database = database
        self.changed = changed  # told after a station is saved (the scope directory reloads)

    async def known_scopes(self) -> KnownScopes | None:
        """The stations of the directory, the areas of the division tree a scope may name (a few thousand
        codes) and the villages with an active child director; None while no division data is loaded."""
        async with self.database.connect() as connection:
            areas = await connection.stations.area_codes()
            if not areas:
                return None
            villages = await connection.directors.active_codes()
            return KnownScopes(await connection.stations.station_codes(), areas, villages)

    async def listed(
        self, county: str | None, kind: AssigneeKind | None, active: bool | None, after: str | None, limit: int
    ) -> list[dict]:
        async with self.database.connect() as connection:
            return await connection.stations.listed(county, kind.value if kind else None, active, after, limit)

    async def station(self, code: str) -> dict:
        async with self.database.connect() as connection:
            station = await connection.stations.by_code(code)
        if station is None:
            raise NotFound("没有这个工作站")
        return station

    async def save(self, station: StationIn) -> tuple[bool, dict]:
        """True when the station is new."""
        async with self.database.begin() as connection:
            problems = station_problems(station, await connection.stations.division_levels([station.code]))
            if problems:
                raise FieldProblems(problems)
            saved = await connection.stations.save(station)
        if self.changed:
            await self.changed()
        return saved
