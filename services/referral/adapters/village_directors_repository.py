"""PostgreSQL access for the directory of village child directors (migration 0012), with each village's name from
the division tree."""

import asyncpg

from services.referral.domain.case_cards import village_as_said
from services.referral.domain.village_directors import DirectorIn

WRITABLE_COLUMNS = ("village_code", "name", "phone", "active")
DIRECTOR_COLUMNS = "d.village_code, v.name AS village_name, d.name, d.phone, d.active, d.updated_at"
SELECT_DIRECTORS = (
    f"SELECT {DIRECTOR_COLUMNS} FROM village_directors d LEFT JOIN divisions v ON v.code = d.village_code"
)


class PostgresVillageDirectors:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def active_codes(self) -> frozenset[str]:
        """The villages with an active director: those whose director may sign in."""
        rows = await self.connection.fetch("SELECT village_code FROM village_directors WHERE active")
        return frozenset(row["village_code"] for row in rows)

    async def is_active(self, village_code: str) -> bool:
        return bool(
            await self.connection.fetchval("SELECT active FROM village_directors WHERE village_code = $1", village_code)
        )

    async def listed(self, township: str | None) -> list[dict]:
        """The directors of a township's villages (or all), by village code."""
        rows = await self.connection.fetch(
            f"{SELECT_DIRECTORS} WHERE $1::text IS NULL OR v.parent_code = $1 ORDER BY d.village_code", township
        )
        return [_said(row) for row in rows]

    async def by_code(self, village_code: str) -> dict | None:
        row = await self.connection.fetchrow(f"{SELECT_DIRECTORS} WHERE d.village_code = $1", village_code)
        return _said(row) if row else None

    async def save(self, director: DirectorIn) -> bool:
        """Adds a director, or updates the fields given (a CSV without a phone column keeps the phone an
        administrator entered). True when the village had none."""
        values = director.model_dump(mode="json")
        given = [column for column in WRITABLE_COLUMNS[1:] if column in director.model_fields_set]
        updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in given)
        return await self.connection.fetchval(
            f"INSERT INTO village_directors ({', '.join(WRITABLE_COLUMNS)}) VALUES ($1, $2, $3, $4) "
            f"ON CONFLICT (village_code) DO UPDATE SET {updates}, updated_at = now() RETURNING (xmax = 0)",
            *(values[column] for column in WRITABLE_COLUMNS),
        )

    async def deactivate(self, village_code: str) -> bool:
        """False when the village has no director."""
        done = await self.connection.execute(
            "UPDATE village_directors SET active = false, updated_at = now() WHERE village_code = $1", village_code
        )
        return done != "UPDATE 0"


def _said(row: asyncpg.Record) -> dict:
    director = dict(row)
    director["village_name"] = village_as_said(director["village_name"] or "")
    return director
