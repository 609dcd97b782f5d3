"""Imports stations and centres from a CSV file (columns: code, kind, name, county_code, phone, email,
webhook_url), adding new ones and updating those already known.

    python -m services.referral.import_stations reference/demo_stations.csv
"""

import asyncio
import csv
import sys
from pathlib import Path

from services.referral.app import MIGRATIONS
from services.referral.repository import upsert_station
from services.referral.settings import ReferralSettings
from shared.database import apply_migrations, create_pool


async def import_stations(database_url: str, csv_path: Path) -> int:
    with csv_path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    pool = await create_pool(database_url, max_size=2)
    try:
        async with pool.acquire() as connection, connection.transaction():
            for row in rows:
                await upsert_station(connection, row)
    finally:
        await pool.close()
    return len(rows)


def main() -> None:
    settings = ReferralSettings()
    apply_migrations(settings.database_url, MIGRATIONS)
    count = asyncio.run(import_stations(settings.database_url, Path(sys.argv[1])))
    print(f"imported {count} stations and centres")


if __name__ == "__main__":
    main()
