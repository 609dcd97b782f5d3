"""Composition root of the intake service."""

from pathlib import Path

from fastapi import FastAPI

from services.intake.api import router
from services.intake.settings import IntakeSettings
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    runtime = ServiceRuntime("intake", settings or IntakeSettings(), MIGRATIONS, publishes=True)
    return runtime.create_app(router, title="Intake: hotline reports")
