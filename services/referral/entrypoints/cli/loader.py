"""Shared entry point of the referral loaders: migrate the database, then load one file."""

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from services.referral.app import MIGRATIONS
from services.referral.settings import ReferralSettings
from shared.database import apply_migrations


def run_loader(load: Callable[[str, Path], Awaitable[int]], what: str) -> None:
    settings = ReferralSettings()
    apply_migrations(settings.database_url, MIGRATIONS)
    count = asyncio.run(load(settings.database_url, Path(sys.argv[1])))
    print(f"loaded {count} {what}")
