"""Imports stations and centres from a CSV file (columns: code, kind, name, county_code, phone, email,
webhook_url), adding new ones and updating those already known.

    python -m services.referral.import_stations reference/demo_stations.csv
"""

import csv
from pathlib import Path

from services.referral.loader_cli import run_loader
from services.referral.repository import upsert_station
from shared.database import one_transaction


async def import_stations(database_url: str, csv_path: Path) -> int:
    with csv_path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    async with one_transaction(database_url) as connection:
        for row in rows:
            await upsert_station(connection, row)
    return len(rows)


if __name__ == "__main__":
    run_loader(import_stations, "stations and centres")
