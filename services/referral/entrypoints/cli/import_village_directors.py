"""Imports village child directors from a CSV file (columns: village_code, name, and optionally phone, active; see
application/village_directors.py); a bad file is reported by line and field, and nothing of it is stored.

    python -m services.referral.entrypoints.cli.import_village_directors reference/demo_village_directors.csv
"""

import sys

from services.referral.application.village_directors import InvalidDirectors, import_directors
from services.referral.entrypoints.cli.loader import run_loader


def main() -> None:
    try:
        run_loader(import_directors, "village child directors")
    except InvalidDirectors as invalid:
        for problem in invalid.problems:
            print(problem, file=sys.stderr)
        sys.exit(f"{len(invalid.problems)} problems in {sys.argv[1]}; nothing was imported")


if __name__ == "__main__":
    main()
