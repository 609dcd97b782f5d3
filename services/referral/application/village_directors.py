"""The directory of village child directors: administrators list, add, change and deactivate them, checked by the
same rules as the CSV import; a station lists its own township's directors, without their phones. A change reloads
the scope directory (a director signs in with the village's code as scope)."""

from collections.abc import Awaitable, Callable
from pathlib import Path

from services.referral.adapters.csv_rows import LineProblem, read_rows
from services.referral.adapters.database import ReferralDatabase
from services.referral.adapters.stations_repository import PostgresStations
from services.referral.adapters.village_directors_repository import PostgresVillageDirectors
from services.referral.domain.village_directors import DirectorIn, director_problems, listing_for
from shared.database import one_transaction
from shared.domain.access import Principal
from shared.domain.problems import FieldProblems, NotFound

NO_DIRECTOR = "这个村（社区）没有儿童主任"


class VillageDirectory:
    def __init__(self, database: ReferralDatabase, changed: Callable[[], Awaitable[None]] | None = None) -> None:
        self.database = database
        self.changed = changed

    async def listed(self, caller: Principal, township: str | None) -> list[dict]:
        township, phones = listing_for(caller, township)
        async with self.database.connect() as connection:
            directors = await connection.directors.listed(township)
        return directors if phones else [director | {"phone": None} for director in directors]

    async def save(self, director: DirectorIn) -> tuple[bool, dict]:
        """True when the village had no director."""
        async with self.database.begin() as connection:
            levels = await connection.stations.division_levels([director.village_code])
            if problems := director_problems(director, levels):
                raise FieldProblems(problems)
            created = await connection.directors.save(director)
            saved = await connection.directors.by_code(director.village_code)
        await self._changed()
        return created, saved or {}

    async def deactivate(self, village_code: str) -> dict:
        async with self.database.begin() as connection:
            if not await connection.directors.deactivate(village_code):
                raise NotFound(NO_DIRECTOR)
            saved = await connection.directors.by_code(village_code)
        await self._changed()
        return saved or {}

    async def _changed(self) -> None:
        if self.changed:
            await self.changed()


class InvalidDirectors(Exception):
    def __init__(self, problems: list[LineProblem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


async def import_directors(database_url: str, csv_path: Path) -> int:
    """Adds new directors and updates those known; every row is checked first, and one bad row stores nothing."""
    directors, problems = read_rows(csv_path, DirectorIn, "village_code")
    async with one_transaction(database_url) as connection:
        levels = await PostgresStations(connection).division_levels([d.village_code for _, d in directors])
        for line, director in directors:
            problems += [LineProblem(line, problem) for problem in director_problems(director, levels)]
        if problems:
            raise InvalidDirectors(sorted(problems, key=lambda p: p.line))
        for _, director in directors:
            await PostgresVillageDirectors(connection).save(director)
    return len(directors)
