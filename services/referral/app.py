"""Composition root of the referral service."""

from pathlib import Path

from fastapi import FastAPI

from services.referral import consumers
from services.referral.api import router
from services.referral.settings import ReferralSettings
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"


def create_runtime(settings: ReferralSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime("referral", settings or ReferralSettings(), MIGRATIONS, publishes=True)


def create_app(settings: ReferralSettings | None = None) -> FastAPI:
    runtime = create_runtime(settings)
    consumers.register(runtime)
    return runtime.create_app(router, title="Referral: routing reports to township stations")
