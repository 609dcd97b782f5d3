"""PostgreSQL access for the stations directory (with the contact columns of migration 0003), and the
stations that cover a division, for routing."""

import asyncpg

from services.referral.domain.routing import Station, covering_codes
from services.referral.domain.station_directory import StationIn
from shared.domain.codes import AssigneeKind
from shared.domain.divisions import DivisionLevel
from shared.events import StationDirectoryChanged
from shared.outbox import enqueue

WRITABLE_COLUMNS = (
    "code",
    "kind",
    "name",
    "county_code",
    "contact_name",
    "phone",
    "sms_phone",
    "email",
    "webhook_url",
    "active",
)
AREA_LEVELS = (DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY)
UPDATABLE_COLUMNS = WRITABLE_COLUMNS[1:]  # all but the key
STATION_COLUMNS = (
    "code, kind, name, county_code, contact_name, phone, sms_phone, email, webhook_url, active, updated_at"
)


class PostgresStations:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def covering(self, division_codes: list[str | None]) -> dict[str, Station]:
        """The active stations and centres of these divisions' townships and counties, by code."""
        wanted = covering_codes(division_codes)
        if not wanted:
            return {}
        rows = await self.connection.fetch(
            "SELECT code, kind, name FROM stations WHERE active AND code = ANY($1::text[])", wanted
        )
        return {row["code"]: Station(row["code"], AssigneeKind(row["kind"]), row["name"]) for row in rows}

    async def station_codes(self) -> frozenset[str]:
        """Every station's code in the directory, active or not (a scope names one of them)."""
        rows = await self.connection.fetch("SELECT code FROM stations WHERE kind = $1", AssigneeKind.STATION.value)
        return frozenset(row["code"] for row in rows)

    async def area_codes(self) -> frozenset[str]:
        """The provinces', cities' and counties' codes of the division tree (empty when none is loaded)."""
        rows = await self.connection.fetch(
            "SELECT code FROM divisions WHERE level = ANY($1::text[])", [level.value for level in AREA_LEVELS]
        )
        return frozenset(row["code"] for row in rows)

    async def division_levels(self, codes: list[str]) -> dict[str, str] | None:
        """The level of each of these codes found in the division tree; None when no tree is loaded."""
        if not await self.connection.fetchval("SELECT EXISTS (SELECT 1 FROM divisions)"):
            return None
        rows = await self.connection.fetch("SELECT code, level FROM divisions WHERE code = ANY($1::text[])", codes)
        return {row["code"]: row["level"] for row in rows}

    async def listed(
        self, county_code: str | None, kind: str | None, active: bool | None, after: str | None, limit: int
    ) -> list[dict]:
        rows = await self.connection.fetch(
            f"SELECT {STATION_COLUMNS} FROM stations "
            "WHERE ($1::text IS NULL OR county_code = $1) AND ($2::text IS NULL OR kind = $2) "
            "AND ($3::boolean IS NULL OR active = $3) AND ($4::text IS NULL OR code > $4) "
            "ORDER BY code LIMIT $5",
            county_code,
            kind,
            active,
            after,
            limit,
        )
        return [dict(row) for row in rows]

    async def by_code(self, code: str) -> dict | None:
        row = await self.connection.fetchrow(f"SELECT {STATION_COLUMNS} FROM stations WHERE code = $1", code)
        return dict(row) if row else None

    async def save(self, station: StationIn) -> tuple[bool, dict]:
        """Upserts the station and, when its entry changed, announces it (notification delivers to its
        contacts). True when it was new."""
        before = await self.by_code(station.code)
        created, row = await self._upsert(station)
        if before is None or _entry(before) != _entry(row):
            entry = StationDirectoryChanged.model_validate(row)
            await enqueue(self.connection, entry, key=row["code"])
        return created, row

    async def _upsert(self, station: StationIn) -> tuple[bool, dict]:
        """Adds a station, or updates the fields the caller gave (a CSV without the contact columns keeps
        the contacts an administrator entered)."""
        values = station.model_dump(mode="json")
        given = [column for column in UPDATABLE_COLUMNS if column in station.model_fields_set]
        updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in given)
        row = await self.connection.fetchrow(
            f"INSERT INTO stations ({', '.join(WRITABLE_COLUMNS)}) "
            f"VALUES ({', '.join(f'${n}' for n in range(1, len(WRITABLE_COLUMNS) + 1))}) "
            f"ON CONFLICT (code) DO UPDATE SET {updates}, updated_at = now() "
            # xmax is 0 only on a freshly inserted row version: the usual way to tell an insert from an update.
            f"RETURNING (xmax = 0) AS created, {STATION_COLUMNS}",
            *(values[column] for column in WRITABLE_COLUMNS),
        )
        return row["created"], dict(row)


def _entry(row: dict) -> dict:
    return {column: row[column] for column in UPDATABLE_COLUMNS}
