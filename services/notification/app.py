"""Composition root of the notification service."""

from datetime import datetime
from pathlib import Path

from fastapi import FastAPI

from services.notification import consumers
from services.notification.api import router
from services.notification.calendar import CalendarKeeper
from services.notification.calendar_api import router as calendar_router
from services.notification.scheduler import Scheduler
from services.notification.settings import NotificationSettings
from services.notification.workdays import calendar_warning
from shared.runtime import ServiceRuntime
from shared.timezones import CHINA

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: NotificationSettings | None = None) -> FastAPI:
    runtime = ServiceRuntime("notification", settings or NotificationSettings(), MIGRATIONS, publishes=True)
    calendar = CalendarKeeper()
    runtime.on_startup.append(lambda: calendar.refresh(runtime.pool))
    runtime.background.append(lambda: calendar.keep_fresh(runtime.pool))
    runtime.health_warnings.append(lambda: calendar_warning(calendar.current, datetime.now(CHINA).date()))
    consumers.register(runtime, lambda: calendar.current)
    if runtime.settings.run_scheduler:
        runtime.background.append(lambda: Scheduler(runtime.pool).run())
    app = runtime.create_app(router, calendar_router, title="Notification: deadlines and escalation")
    app.state.calendar = calendar
    return app
