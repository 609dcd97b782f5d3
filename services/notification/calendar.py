"""The administrator's calendar years, kept in memory: loaded at start-up, after each change, and every
minute (another instance may have changed them)."""

from datetime import date

import asyncpg

from services.notification.workdays import WorkCalendar
from shared.refreshing import refresh_every


async def load_calendar(connection: asyncpg.Connection) -> WorkCalendar:
    published: dict[int, dict[date, bool]] = {year: {} for year in await _years(connection)}
    for row in await connection.fetch("SELECT day, year, is_workday FROM calendar_days"):
        published[row["year"]][row["day"]] = row["is_workday"]
    return WorkCalendar(published)


async def publish_year(
    connection: asyncpg.Connection, year: int, source: str, days: list[tuple[date, bool, str]], actor: str
) -> None:
    """Replaces a year's exceptions with these."""
    await connection.execute(
        "INSERT INTO calendar_years (year, source, updated_by) VALUES ($1, $2, $3) "
        "ON CONFLICT (year) DO UPDATE SET source = EXCLUDED.source, updated_by = EXCLUDED.updated_by, "
        "updated_at = now()",
        year,
        source,
        actor,
    )
    await connection.execute("DELETE FROM calendar_days WHERE year = $1", year)
    await connection.executemany(
        "INSERT INTO calendar_days (day, year, is_workday, name) VALUES ($1, $2, $3, $4)",
        [(day, year, is_workday, name) for day, is_workday, name in days],
    )


async def _years(connection: asyncpg.Connection) -> list[int]:
    return [row["year"] for row in await connection.fetch("SELECT year FROM calendar_years")]


class CalendarKeeper:
    def __init__(self) -> None:
        self.current = WorkCalendar()

    async def refresh(self, pool: asyncpg.Pool) -> None:
        async with pool.acquire() as connection:
            self.current = await load_calendar(connection)

    async def keep_fresh(self, pool: asyncpg.Pool, every: float = 60.0) -> None:
        await refresh_every(every, lambda: self.refresh(pool), "calendar")
