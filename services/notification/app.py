"""Composition root of the notification service."""

from datetime import datetime
from pathlib import Path

from fastapi import FastAPI

from services.notification import consumers
from services.notification.api import router
from services.notification.calendar import CalendarKeeper
from services.notification.calendar_api import router as calendar_router
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
    runtime = ServiceRuntime("notification", settings or NotificationSettings(), MIGRATIONS, publishes=True)
    calendar, policy = CalendarKeeper(), PolicyKeeper()
    for keeper in (calendar, policy):
        runtime.on_startup.append(lambda keeper=keeper: keeper.refresh(runtime.pool))
        runtime.background.append(lambda keeper=keeper: keeper.keep_fresh(runtime.pool))
    runtime.health_warnings.append(lambda: calendar_warning(calendar.current, datetime.now(CHINA).date()))
    consumers.register(runtime, lambda: Rules(policy.current, calendar.current))
    if runtime.settings.run_scheduler:
        runtime.background.append(lambda: Scheduler(runtime.pool).run())
    app = runtime.create_app(router, calendar_router, policy_router, title="Notification: deadlines and escalation")
    app.state.calendar, app.state.policy = calendar, policy
    return app
