"""Imports reference/division_aliases.csv (or the file given) into the referral database, after checking
every row against the gazetteer loaded there: a known township as target, a known kind, an alias that is no
division's name and is given once. A bad row refuses the whole file, with one line per problem. The running
service picks the aliases up within a minute.

    python -m services.referral.entrypoints.cli.import_aliases [reference/division_aliases.csv]
"""

import asyncio
import sys
from pathlib import Path

from services.referral.adapters.division_loading import ALIASES_CSV, AliasRowsRefused, import_aliases
from services.referral.app import MIGRATIONS
from services.referral.settings import ReferralSettings
from shared.database import apply_migrations


def main() -> int:
    settings = ReferralSettings()
    apply_migrations(settings.database_url, MIGRATIONS)
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ALIASES_CSV
    try:
        count = asyncio.run(import_aliases(settings.database_url, path))
    except AliasRowsRefused as refused:
        print(f"{path}: not imported", *refused.problems, sep="\n", file=sys.stderr)
        return 1
    print(f"imported {count} aliases from {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
