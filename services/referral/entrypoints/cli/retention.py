"""Deletes referral's published outbox rows, processed-event ids and audit entries past their retention,
and anonymises the reports of cases closed longer than the personal-data retention (README, Retention):
`python -m services.referral.entrypoints.cli.retention [--batch N]`."""

from services.referral.adapters.anonymisation import anonymise_closed_reports
from services.referral.settings import ReferralSettings
from shared.retention_cli import main

if __name__ == "__main__":
    main("referral", ReferralSettings, anonymise=anonymise_closed_reports)
