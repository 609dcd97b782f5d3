"""Composition root of the notification service."""

from pathlib import Path

from fastapi import FastAPI

from services.notification import consumers
from services.notification.api import router
from services.notification.scheduler import Scheduler
from services.notification.settings import NotificationSettings
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: NotificationSettings | None = None) -> FastAPI:
    runtime = ServiceRuntime("notification", settings or NotificationSettings(), MIGRATIONS, publishes=True)
    consumers.register(runtime)
    if runtime.settings.run_scheduler:
        runtime.background.append(lambda: Scheduler(runtime.pool).run())
    return runtime.create_app(router, title="Notification: deadlines and escalation")
