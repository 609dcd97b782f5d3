"""Composition root of the intake service."""

from pathlib import Path

from fastapi import FastAPI

from services.intake import consumers
from services.intake.api import router
from services.intake.identity import IdentityVault
from services.intake.metrics import FIGURES
from services.intake.page import mount_page
from services.intake.reports import ReportIntake
from services.intake.settings import IntakeSettings
from shared.audit import router as audit_router
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    runtime = ServiceRuntime("intake", settings, MIGRATIONS, publishes=True)
    consumers.register(runtime)
    app = runtime.create_app(router, audit_router, title="Intake: hotline reports", figures=FIGURES)
    mount_page(app)
    key = settings.encryption_key.get_secret_value()
    app.state.intake = ReportIntake(
        lambda: runtime.pool, IdentityVault(key), settings.child_key_secret.get_secret_value().encode()
    )
    return app
