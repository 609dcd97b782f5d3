"""Composition root of the referral service: the runtime, the gazetteer, the use cases on their adapters,
routes and consumers."""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import asyncpg
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from services.referral.adapters.database import ReferralDatabase
from services.referral.adapters.gazetteer_keeper import GazetteerKeeper
from services.referral.adapters.metrics import FIGURES
from services.referral.application.acting import Act
from services.referral.application.dashboard import DashboardQuery
from services.referral.application.directory import StationDirectory
from services.referral.application.divisions import DivisionQueries
from services.referral.application.queries import ReferralQueries
from services.referral.application.referring import Referrer
from services.referral.application.reopening import Reopener
from services.referral.application.village_directors import VillageDirectory
from services.referral.application.village_tasks import VillageTasks
from services.referral.domain.gazetteer import Gazetteer
from services.referral.domain.repeats import RepeatRule
from services.referral.entrypoints import consumers
from services.referral.entrypoints.http.actions_api import router as actions_router
from services.referral.entrypoints.http.codes_api import router as codes_router
from services.referral.entrypoints.http.dashboard_api import router as dashboard_router
from services.referral.entrypoints.http.divisions_api import router as divisions_router
from services.referral.entrypoints.http.pages import mount_pages
from services.referral.entrypoints.http.preview_api import router as preview_router
from services.referral.entrypoints.http.referrals_api import router
from services.referral.entrypoints.http.stations_api import router as stations_router
from services.referral.entrypoints.http.tasks_api import router as tasks_router
from services.referral.entrypoints.http.village_directors_api import router as village_directors_router
from services.referral.settings import ReferralSettings
from shared.audit import router as audit_router
from shared.auth.scopes import ScopeKeeper
from shared.runtime import ServiceRuntime

SERVICE = Path(__file__).parent
MIGRATIONS = SERVICE / "migrations"
STATIC = SERVICE / "static"


def create_runtime(settings: ReferralSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime("referral", settings or ReferralSettings(), MIGRATIONS, publishes=True)


def create_referrer(
    pool: Callable[[], asyncpg.Pool], gazetteer: Callable[[], Gazetteer], settings: ReferralSettings
) -> Referrer:
    """The use case that refers received reports (the consumer's; tests make their own)."""
    repeats = RepeatRule(timedelta(days=settings.repeat_window_days), settings.repeats_that_raise_priority)
    secret = settings.child_key_secret.get_secret_value().encode()
    return Referrer(ReferralDatabase(pool), gazetteer, secret, repeats)


def create_app(settings: ReferralSettings | None = None) -> FastAPI:
    runtime = create_runtime(settings)
    keeper = GazetteerKeeper()
    runtime.on_startup.append(lambda: keeper.refresh(runtime.pool))
    runtime.background["gazetteer refresh"] = lambda: keeper.keep_fresh(runtime.pool)

    def pool() -> asyncpg.Pool:  # there is a pool only once the service has started
        return runtime.pool

    def gazetteer() -> Gazetteer:  # the newest, reloaded when the division data changes
        return keeper.current

    consumers.register(runtime, create_referrer(pool, gazetteer, runtime.settings), Reopener(ReferralDatabase(pool)))
    app = runtime.create_app(
        router,
        actions_router,
        audit_router,
        stations_router,
        divisions_router,
        preview_router,
        dashboard_router,
        codes_router,
        village_directors_router,
        tasks_router,
        title="Referral: routing reports to township stations",
        figures=FIGURES,
        connect_to=[runtime.settings.notification_url, runtime.settings.intake_url],
    )
    database = ReferralDatabase(pool)
    app.state.act = Act(database, gazetteer)
    app.state.referral_queries = ReferralQueries(database)
    scopes = ScopeKeeper(lambda: app.state.station_directory.known_scopes())
    runtime.on_startup.append(scopes.refresh)
    runtime.background["scope directory refresh"] = scopes.keep_fresh
    app.state.station_directory = StationDirectory(database, scopes.refresh)
    app.state.scopes = scopes
    app.state.village_directory = VillageDirectory(database, scopes.refresh)
    app.state.village_tasks = VillageTasks(database)
    app.state.division_queries = DivisionQueries(database, gazetteer)
    app.state.dashboard = DashboardQuery(database)
    mount_pages(app, STATIC)
    # The operator page, served by intake, asks for divisions and routing previews from the browser, the
    # operator's preview with the operator's token.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=runtime.settings.cors_origins,
        allow_methods=["GET"],
        allow_headers=["Authorization"],
    )
    return app
