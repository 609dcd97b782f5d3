"""Deletes notification's published outbox rows, processed-event ids and audit entries past their retention
(README, Retention): `python -m services.notification.entrypoints.cli.retention [--batch N]`."""

from services.notification.settings import NotificationSettings
from shared.retention_cli import main

if __name__ == "__main__":
    main("notification", NotificationSettings)
