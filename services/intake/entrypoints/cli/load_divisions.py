"""Loads the national division codes (provinces down to villages) into intake's own table, which decides
which division codes a report may give (see adapters/known_divisions.py).

    python -m services.intake.entrypoints.cli.load_divisions "$(bash deploy/local/fetch-divisions.sh)"
"""

import asyncio
import sys
from pathlib import Path

from services.intake.adapters.known_divisions import load_known_divisions
from services.intake.app import MIGRATIONS
from services.intake.settings import IntakeSettings
from shared.database import apply_migrations


def main() -> None:
    settings = IntakeSettings()
    apply_migrations(settings.database_url, MIGRATIONS)
    count = asyncio.run(load_known_divisions(settings.database_url, Path(sys.argv[1])))
    print(f"loaded {count} division codes")


if __name__ == "__main__":
    main()
