"""The retention command of every service (`python -m services.<service>.entrypoints.cli.retention`): deletes
from the service's database what its settings keep no longer (shared/retention.py). Meant to run daily, from
cron or a Kubernetes CronJob; running it twice does no harm."""

import argparse
import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

import asyncpg

from shared.database import create_pool
from shared.logs import configure_logging
from shared.retention import Kept, RetentionPolicy, purge
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)
# Removes the personal data of cases closed longer than `years`, `batch` at a time; returns how many reports.
Anonymiser = Callable[[asyncpg.Pool, int, int], Awaitable[int]]


def policy_of(settings: ServiceSettings) -> RetentionPolicy:
    return RetentionPolicy(
        outbox_days=settings.outbox_retention_days,
        processed_events_days=settings.processed_events_retention_days,
        audit_years=settings.audit_retention_years,
        idempotency_keys_days=settings.idempotency_keys_retention_days,
        dead_letters_days=settings.dead_letter_retention_days,
    )


async def run(settings: ServiceSettings, batch: int, anonymise: Anonymiser | None = None) -> dict[Kept, int]:
    pool = await create_pool(settings.database_url, max_size=1)
    try:
        deleted = await purge(pool, policy_of(settings), batch)
        if anonymise is not None:
            years = settings.personal_data_retention_years
            count = await anonymise(pool, years, batch)
            log.info("retention: anonymised %d report(s) of cases closed more than %d years ago", count, years)
        return deleted
    finally:
        await pool.close()


def main(
    service: str,
    settings_type: type[ServiceSettings],
    argv: Sequence[str] | None = None,
    anonymise: Anonymiser | None = None,
) -> None:
    parser = argparse.ArgumentParser(
        prog=f"python -m services.{service}.entrypoints.cli.retention",
        description="Delete published outbox rows, processed-event ids and audit entries past their retention"
        + ("; anonymise the reports of cases closed longer than the personal-data retention." if anonymise else "."),
    )
    parser.add_argument("--batch", type=int, default=1000, help="rows deleted in one statement (default 1000)")
    args = parser.parse_args(argv)
    if args.batch < 1:
        parser.error("--batch must be at least 1")
    settings = settings_type()
    configure_logging(f"{service}-retention", settings.log_level, settings.log_format)
    asyncio.run(run(settings, args.batch, anonymise))
