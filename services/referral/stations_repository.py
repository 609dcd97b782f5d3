"""PostgreSQL access for the stations directory (with the contact columns of migration 0003)."""

import asyncpg

from services.referral.stations import StationIn
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
UPDATABLE_COLUMNS = WRITABLE_COLUMNS[1:]  # all but the key
STATION_COLUMNS = (
    "code, kind, name, county_code, contact_name, phone, sms_phone, email, webhook_url, active, updated_at"
)


async def division_levels(connection: asyncpg.Connection, codes: list[str]) -> dict[str, str] | None:
    """The level of each of these codes found in the division tree; None when no tree is loaded."""
    if not await connection.fetchval("SELECT EXISTS (SELECT 1 FROM divisions)"):
        return None
    rows = await connection.fetch("SELECT code, level FROM divisions WHERE code = ANY($1::text[])", codes)
    return {row["code"]: row["level"] for row in rows}


async def list_stations(
    connection: asyncpg.Connection,
    county_code: str | None = None,
    kind: str | None = None,
    active: bool | None = None,
    after: str | None = None,
    limit: int = 200,
) -> list[asyncpg.Record]:
    return await connection.fetch(
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


async def station_by_code(connection: asyncpg.Connection, code: str) -> asyncpg.Record | None:
    return await connection.fetchrow(f"SELECT {STATION_COLUMNS} FROM stations WHERE code = $1", code)


async def upsert_station(connection: asyncpg.Connection, station: StationIn) -> tuple[bool, asyncpg.Record]:
    """Adds a station, or updates the fields the caller gave (a CSV without the contact columns keeps
    the contacts an administrator entered). True when it was new."""
    values = station.model_dump(mode="json")
    given = [column for column in UPDATABLE_COLUMNS if column in station.model_fields_set]
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in given)
    row = await connection.fetchrow(
        f"INSERT INTO stations ({', '.join(WRITABLE_COLUMNS)}) "
        f"VALUES ({', '.join(f'${n}' for n in range(1, len(WRITABLE_COLUMNS) + 1))}) "
        f"ON CONFLICT (code) DO UPDATE SET {updates}, updated_at = now() "
        # xmax is 0 only on a freshly inserted row version: the usual way to tell an insert from an update.
        f"RETURNING (xmax = 0) AS created, {STATION_COLUMNS}",
        *(values[column] for column in WRITABLE_COLUMNS),
    )
    return row["created"], row


async def save_station(connection: asyncpg.Connection, station: StationIn) -> tuple[bool, asyncpg.Record]:
    """Upserts the station and, when its entry changed, announces it (notification delivers to its contacts)."""
    before = await station_by_code(connection, station.code)
    created, row = await upsert_station(connection, station)
    if before is None or _entry(before) != _entry(row):
        entry = StationDirectoryChanged.model_validate(dict(row))
        await enqueue(connection, entry, key=row["code"])
    return created, row


def _entry(row: asyncpg.Record) -> dict:
    return {column: row[column] for column in UPDATABLE_COLUMNS}
