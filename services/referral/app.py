"""Composition root of the referral service."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from services.referral import consumers
from services.referral.actions_api import router as actions_router
from services.referral.api import router
from services.referral.dashboard_api import router as dashboard_router
from services.referral.divisions_api import router as divisions_router
from services.referral.gazetteer_keeper import GazetteerKeeper
from services.referral.metrics import FIGURES
from services.referral.pages import mount_pages
from services.referral.settings import ReferralSettings
from services.referral.stations_api import router as stations_router
from shared.audit import router as audit_router
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"


def create_runtime(settings: ReferralSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime("referral", settings or ReferralSettings(), MIGRATIONS, publishes=True)


def create_app(settings: ReferralSettings | None = None) -> FastAPI:
    runtime = create_runtime(settings)
    keeper = GazetteerKeeper()
    runtime.on_startup.append(lambda: keeper.refresh(runtime.pool))
    runtime.background["gazetteer refresh"] = lambda: keeper.keep_fresh(runtime.pool)
    consumers.register(runtime, lambda: keeper.current)
    app = runtime.create_app(
        router,
        actions_router,
        audit_router,
        stations_router,
        divisions_router,
        dashboard_router,
        title="Referral: routing reports to township stations",
        figures=FIGURES,
    )
    app.state.gazetteer = keeper
    mount_pages(app)
    # The operator page, served by intake, asks for divisions and routing previews from the browser.
    app.add_middleware(CORSMiddleware, allow_origins=runtime.settings.cors_origins, allow_methods=["GET"])
    return app
