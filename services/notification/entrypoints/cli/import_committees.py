"""Imports the committees that receive supervision notices, and the hotline supervisors' lead who is told of
the unrouted queue's deadlines, from a CSV file (columns: code, name, and optionally email, sms_phone,
webhook_url, active; code is the province, city or county code prefix a committee watches, or `hotline`).
Every row is checked first; one bad row and nothing is stored.

    python -m services.notification.entrypoints.cli.import_committees reference/demo_committees.csv
"""

import asyncio
import csv
import sys
from pathlib import Path

from pydantic import ValidationError

from services.notification.app import MIGRATIONS
from services.notification.application.receiver_upkeep import import_entered
from services.notification.domain.receivers import EnteredReceiver
from services.notification.settings import NotificationSettings
from shared.database import apply_migrations
from shared.http_errors import _describe as describe_error


def read_receivers(csv_path: Path) -> tuple[list[EnteredReceiver], list[str]]:
    """The receivers, and a problem per bad field as `line N, field F: code` (never the value)."""
    receivers, problems = [], []
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            try:
                fields = {k: v for k, v in row.items() if k and v is not None}
                receivers.append(EnteredReceiver.model_validate(fields, strict=False))  # a CSV's text
            except ValidationError as error:
                for problem in map(describe_error, error.errors()):
                    problems.append(f"line {reader.line_num}, field {problem.field}: {problem.code}")
    return receivers, problems


def main() -> None:
    settings = NotificationSettings()
    receivers, problems = read_receivers(Path(sys.argv[1]))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(f"{len(problems)} problems in {sys.argv[1]}; nothing was imported")
    apply_migrations(settings.database_url, MIGRATIONS)
    asyncio.run(import_entered(settings.database_url, receivers))
    print(f"loaded {len(receivers)} committees and hotline entries")


if __name__ == "__main__":
    main()
