"""Composition root of the intake service: the runtime, the use cases on their adapters, routes and consumers."""

from datetime import timedelta
from pathlib import Path

import asyncpg
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from services.intake.adapters.identity_vault import IdentityVault
from services.intake.adapters.known_divisions import known_scopes
from services.intake.adapters.metrics import FIGURES
from services.intake.application.accept_batch import AcceptBatch
from services.intake.application.accept_report import AcceptReport
from services.intake.application.callbacks import Callbacks
from services.intake.application.division_check import DivisionCheck
from services.intake.application.read_reports import ReadReports
from services.intake.application.receipts import ReceiptLookup
from services.intake.application.record_routing import RecordRouting
from services.intake.application.stuck_reports import StuckReports
from services.intake.entrypoints import consumers
from services.intake.entrypoints.http.batch_api import router as batch_router
from services.intake.entrypoints.http.callbacks_api import router as callbacks_router
from services.intake.entrypoints.http.page import mount_page
from services.intake.entrypoints.http.receipts_api import router as receipts_router
from services.intake.entrypoints.http.reports_api import router
from services.intake.entrypoints.http.stuck_api import router as stuck_router
from services.intake.settings import IntakeSettings
from shared.audit import router as audit_router
from shared.auth.scopes import ScopeKeeper
from shared.domain.rate_limits import RateLimit
from shared.runtime import ServiceRuntime

SERVICE = Path(__file__).parent
MIGRATIONS = SERVICE / "migrations"
STATIC = SERVICE / "static"


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    runtime = ServiceRuntime("intake", settings, MIGRATIONS, publishes=True)

    def pool() -> asyncpg.Pool:  # there is a pool only once the service has started
        return runtime.pool

    after, every = timedelta(seconds=settings.no_referral_after_seconds), settings.stuck_check_seconds
    stuck = StuckReports(pool, no_referral_after=after, check_every=every)
    consumers.register(runtime, RecordRouting(pool), stuck)
    runtime.background["stuck reports"] = stuck.keep_checking
    runtime.health_warnings.append(stuck.warning)
    # /v1/reports/stuck before /v1/reports/{report_id}, which would take "stuck" for an id
    routers = (stuck_router, router, batch_router, callbacks_router, receipts_router, audit_router)
    app = runtime.create_app(
        *routers, title="Intake: hotline reports", figures=FIGURES, connect_to=[settings.referral_url]
    )
    mount_page(app, STATIC)
    # The committee's view, served by referral, reads how many reports are stuck from the browser.
    app.add_middleware(
        CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET"], allow_headers=["Authorization"]
    )
    vault = IdentityVault(settings.encryption_key.get_secret_value())
    child_key_secret = settings.child_key_secret.get_secret_value().encode()
    divisions = DivisionCheck(pool)
    runtime.on_startup.append(divisions.look)
    runtime.health_warnings.append(divisions.warning)
    oldest = timedelta(days=settings.oldest_report_days)
    app.state.accept_report = AcceptReport(pool, vault, child_key_secret, divisions, oldest)
    app.state.accept_batch = AcceptBatch(app.state.accept_report)
    app.state.read_reports = ReadReports(pool, vault)
    app.state.stuck_reports = stuck
    app.state.scopes = scopes = ScopeKeeper(lambda: known_scopes(runtime.pool))
    runtime.on_startup.append(scopes.refresh)
    runtime.background["scope directory refresh"] = scopes.keep_fresh
    app.state.callbacks = Callbacks(pool)
    minute, per_minute = timedelta(minutes=1), settings.receipt_lookups_per_minute
    limits = RateLimit(per_minute, minute), RateLimit(per_minute, minute)
    app.state.receipt_lookup = ReceiptLookup(pool, child_key_secret, *limits)
    return app
