"""The administrator's calendar years, kept in memory: loaded at start-up, after each change, and every
minute (another instance may have changed them)."""

from datetime import date

import asyncpg

from services.notification.adapters.calendar_repository import CalendarRepository
from services.notification.domain.workdays import WorkCalendar, problems_in_published_year
from shared.domain.problems import FieldProblems
from shared.refreshing import refresh_every


class CalendarKeeper:
    def __init__(self) -> None:
        self.current = WorkCalendar()

    async def refresh(self, pool: asyncpg.Pool) -> None:
        async with pool.acquire() as connection:
            self.current = await CalendarRepository(connection).load()

    async def keep_fresh(self, pool: asyncpg.Pool, every: float = 60.0) -> None:
        await refresh_every(every, lambda: self.refresh(pool), "calendar")


async def publish_year(
    pool: asyncpg.Pool,
    keeper: CalendarKeeper,
    year: int,
    source: str,
    days: list[tuple[date, bool, str]],
    actor: str,
) -> None:
    """Replaces a year's exceptions (day, is a working day, name) with these, if they are all exceptions."""
    problems = problems_in_published_year(year, [(day, is_workday) for day, is_workday, _name in days])
    if problems:
        raise FieldProblems(problems)
    async with pool.acquire() as connection, connection.transaction():
        await CalendarRepository(connection).publish_year(year, source, days, actor)
    await keeper.refresh(pool)
