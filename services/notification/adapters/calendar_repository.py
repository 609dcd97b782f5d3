"""The administrator's calendar years in PostgreSQL: for each, its days off on weekdays and its working
weekend days."""

from datetime import date

import asyncpg

from services.notification.domain.workdays import WorkCalendar


class CalendarRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def load(self) -> WorkCalendar:
        years = await self._connection.fetch("SELECT year FROM calendar_years")
        published: dict[int, dict[date, bool]] = {row["year"]: {} for row in years}
        for row in await self._connection.fetch("SELECT day, year, is_workday FROM calendar_days"):
            published[row["year"]][row["day"]] = row["is_workday"]
        return WorkCalendar(published)

    async def publish_year(self, year: int, source: str, days: list[tuple[date, bool, str]], actor: str) -> None:
        """Replaces a year's exceptions with these."""
        await self._connection.execute(
            "INSERT INTO calendar_years (year, source, updated_by) VALUES ($1, $2, $3) "
            "ON CONFLICT (year) DO UPDATE SET source = EXCLUDED.source, updated_by = EXCLUDED.updated_by, "
            "updated_at = now()",
            year,
            source,
            actor,
        )
        await self._connection.execute("DELETE FROM calendar_days WHERE year = $1", year)
        await self._connection.executemany(
            "INSERT INTO calendar_days (day, year, is_workday, name) VALUES ($1, $2, $3, $4)",
            [(day, year, is_workday, name) for day, is_workday, name in days],
        )
