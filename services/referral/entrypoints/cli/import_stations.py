"""Imports stations and centres from a CSV file (see application/station_import.py); a bad file is
reported by line and field, and nothing of it is stored.

    python -m services.referral.entrypoints.cli.import_stations reference/demo_stations.csv
"""

import sys

from services.referral.application.station_import import InvalidStations, import_stations
from services.referral.entrypoints.cli.loader import run_loader


def main() -> None:
    try:
        run_loader(import_stations, "stations and centres")
    except InvalidStations as invalid:
        for problem in invalid.problems:
            print(problem, file=sys.stderr)
        sys.exit(f"{len(invalid.problems)} problems in {sys.argv[1]}; nothing was imported")


if __name__ == "__main__":
    main()
