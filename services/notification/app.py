"""Composition root of the notification service."""

from datetime import datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from services.notification import consumers
from services.notification.api import router
from services.notification.calendar import CalendarKeeper
from services.notification.calendar_api import router as calendar_router
from services.notification.delivery import dispatcher_for
from services.notification.metrics import FIGURES
from services.notification.notifications_api import router as notifications_router
from services.notification.performance_api import router as performance_router
from services.notification.policies import PolicyKeeper
from services.notification.policy_api import router as policy_router
from services.notification.scheduler import Scheduler
from services.notification.scheduling import Rules
from services.notification.settings import NotificationSettings
from services.notification.workdays import calendar_warning
from shared.runtime import ServiceRuntime
from shared.timezones import CHINA

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: NotificationSettings | None = None) -> FastAPI:
    settings = settings or NotificationSettings()
    runtime = ServiceRuntime("notification", settings, MIGRATIONS, publishes=True)
    calendar, policy, channels = CalendarKeeper(), PolicyKeeper(), settings.channels()
    for keeper in (calendar, policy):
        runtime.on_startup.append(lambda keeper=keeper: keeper.refresh(runtime.pool))
        runtime.background[f"{type(keeper).__name__} refresh"] = lambda keeper=keeper: keeper.keep_fresh(runtime.pool)
    runtime.health_warnings.append(lambda: calendar_warning(calendar.current, datetime.now(CHINA).date()))
    consumers.register(runtime, lambda: Rules(policy.current, calendar.current, channels))
    if settings.run_scheduler:
        runtime.background["scheduler"] = lambda: Scheduler(
            runtime.pool, batch=settings.scheduler_batch, channels=channels
        ).run()
    if settings.run_dispatcher:
        runtime.background["dispatcher"] = lambda: _deliver(runtime, settings)
    app = runtime.create_app(
        router,
        calendar_router,
        policy_router,
        notifications_router,
        performance_router,
        title="Notification: deadlines and escalation",
        figures=FIGURES,
    )
    app.state.calendar, app.state.policy = calendar, policy
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET"],
        allow_headers=["Authorization", "Content-Type"],
    )
    return app


async def _deliver(runtime: ServiceRuntime, settings: NotificationSettings) -> None:
    async with dispatcher_for(runtime.pool, settings) as dispatcher:
        await dispatcher.run()
