"""Deletes intake's published outbox rows, processed-event ids and audit entries past their retention,
and anonymises the reports of cases closed longer than the personal-data retention (README, Retention):
`python -m services.intake.entrypoints.cli.retention [--batch N]`."""

from services.intake.adapters.anonymisation import anonymise_closed_reports
from services.intake.settings import IntakeSettings
from shared.retention_cli import main

if __name__ == "__main__":
    main("intake", IntakeSettings, anonymise=anonymise_closed_reports)
