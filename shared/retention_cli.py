"""The retention command of every service (`python -m services.<service>.entrypoints.cli.retention`): deletes
from the service's database what its settings keep no longer (shared/retention.py). Meant to run daily, from
cron or a Kubernetes CronJob; running it twice does no harm."""

import argparse
import asyncio
from collections.abc import Sequence

from shared.database import create_pool
from shared.logs import configure_logging
from shared.retention import Kept, RetentionPolicy, purge
from shared.settings import ServiceSettings


def policy_of(settings: ServiceSettings) -> RetentionPolicy:
    return RetentionPolicy(
        outbox_days=settings.outbox_retention_days,
        processed_events_days=settings.processed_events_retention_days,
        audit_years=settings.audit_retention_years,
    )


async def run(settings: ServiceSettings, batch: int) -> dict[Kept, int]:
    pool = await create_pool(settings.database_url, max_size=1)
    try:
        return await purge(pool, policy_of(settings), batch)
    finally:
        await pool.close()


def main(service: str, settings_type: type[ServiceSettings], argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog=f"python -m services.{service}.entrypoints.cli.retention",
        description="Delete published outbox rows, processed-event ids and audit entries past their retention.",
    )
    parser.add_argument("--batch", type=int, default=1000, help="rows deleted in one statement (default 1000)")
    args = parser.parse_args(argv)
    if args.batch < 1:
        parser.error("--batch must be at least 1")
    settings = settings_type()
    configure_logging(f"{service}-retention", settings.log_level, settings.log_format)
    asyncio.run(run(settings, args.batch))
