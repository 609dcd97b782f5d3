"""Loads the national division tree (provinces down to villages) from the china-division package, and
the township aliases from reference/division_aliases.csv, into the referral database, replacing what
was there and recording where each came from. A data set whose checksum is unchanged is left alone.
The command is services.referral.entrypoints.cli.load_divisions.
"""

import csv
import hashlib
import json
from pathlib import Path

import asyncpg

from services.referral.adapters.gazetteer_sources import PACKAGE_FILES, package_rows
from shared.database import one_transaction

ALIASES_CSV = Path(__file__).resolve().parents[3] / "reference" / "division_aliases.csv"


def package_provenance(dist: Path) -> tuple[str, str]:
    package = json.loads((dist.parent / "package.json").read_text())
    digest = hashlib.sha256()
    for file_name, _, _ in PACKAGE_FILES:
        digest.update((dist / file_name).read_bytes())
    return f"npm {package['name']}@{package['version']}", digest.hexdigest()


async def load_divisions(database_url: str, dist: Path, aliases_csv: Path = ALIASES_CSV) -> int:
    source, checksum = package_provenance(dist)
    async with one_transaction(database_url) as connection:
        if await _loaded_checksum(connection, "divisions") != checksum:
            await connection.execute("TRUNCATE divisions")
            await connection.copy_records_to_table("divisions", records=package_rows(dist))
            rows = await connection.fetchval("SELECT count(*) FROM divisions")
            await _record(connection, "divisions", source, checksum, rows)
        await _load_aliases(connection, aliases_csv)
        return await connection.fetchval("SELECT count(*) FROM divisions")


async def _load_aliases(connection: asyncpg.Connection, aliases_csv: Path) -> None:
    content = aliases_csv.read_bytes()
    checksum = hashlib.sha256(content).hexdigest()
    if await _loaded_checksum(connection, "division_aliases") == checksum:
        return
    with aliases_csv.open(encoding="utf-8") as handle:
        rows = [(row["alias"], row["target_code"], row["kind"], row["note"]) for row in csv.DictReader(handle)]
    await connection.execute("TRUNCATE division_aliases")
    await connection.copy_records_to_table("division_aliases", records=rows)
    await _record(connection, "division_aliases", f"reference/{aliases_csv.name}", checksum, len(rows))


async def _loaded_checksum(connection: asyncpg.Connection, dataset: str) -> str | None:
    return await connection.fetchval("SELECT checksum FROM reference_data WHERE dataset = $1", dataset)


async def _record(connection: asyncpg.Connection, dataset: str, source: str, checksum: str, rows: int) -> None:
    await connection.execute(
        "INSERT INTO reference_data (dataset, source, checksum, rows) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (dataset) DO UPDATE SET source = EXCLUDED.source, checksum = EXCLUDED.checksum, "
        "rows = EXCLUDED.rows, loaded_at = now()",
        dataset,
        source,
        checksum,
        rows,
    )
