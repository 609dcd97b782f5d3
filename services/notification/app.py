"""Composition root of the notification service."""

import contextlib
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from services.notification.adapters.channels.mail import EmailChannel
from services.notification.adapters.channels.sending import Sender
from services.notification.adapters.channels.sms_providers import sms_configured, sms_sender
from services.notification.adapters.channels.webhook import WebhookChannel
from services.notification.adapters.metrics import FIGURES, next_years_holidays
from services.notification.application.calendar_years import CalendarKeeper
from services.notification.application.clocks import Rules
from services.notification.application.deadline_policy import PolicyKeeper
from services.notification.application.delivery import Delivery
from services.notification.application.receiver_upkeep import scope_directory
from services.notification.application.timer_firing import TimerFiring
from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.delivery_rules import RetryPolicy
from services.notification.domain.workdays import calendar_warning
from services.notification.entrypoints import consumers
from services.notification.entrypoints.http import (
    calendar_api,
    dead_letters_api,
    deadlines_api,
    extensions_api,
    notifications_api,
    performance_api,
    policy_api,
    receivers_api,
)
from services.notification.settings import NotificationSettings
from shared.audit import router as audit_router
from shared.auth.scopes import ScopeKeeper
from shared.runtime import ServiceRuntime
from shared.timezones import CHINA

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: NotificationSettings | None = None) -> FastAPI:
    settings = settings or NotificationSettings()
    runtime = ServiceRuntime("notification", settings, MIGRATIONS, publishes=True)
    calendar, policy, channels = CalendarKeeper(), PolicyKeeper(), enabled_channels(settings)
    for keeper in (calendar, policy):
        runtime.on_startup.append(lambda keeper=keeper: keeper.refresh(runtime.pool))
        runtime.background[f"{type(keeper).__name__} refresh"] = lambda keeper=keeper: keeper.keep_fresh(runtime.pool)
    runtime.health_warnings.append(lambda: calendar_warning(calendar.current, datetime.now(CHINA).date()))
    runtime.whole_service_gauges.append(lambda: next_years_holidays(calendar.current, datetime.now(CHINA).date()))
    consumers.register(runtime, lambda: Rules(policy.current, calendar.current, channels))
    if settings.run_scheduler:
        runtime.background["timer firing"] = lambda: TimerFiring(
            runtime.pool, batch=settings.scheduler_batch, channels=channels
        ).run()
    if settings.run_dispatcher:
        runtime.background["delivery"] = lambda: _deliver(runtime, settings)
    app = runtime.create_app(
        deadlines_api.router,
        extensions_api.router,
        calendar_api.router,
        policy_api.router,
        notifications_api.router,
        receivers_api.router,
        performance_api.router,
        dead_letters_api.router,
        audit_router,
        title="Notification: deadlines and escalation",
        figures=FIGURES,
    )
    app.state.calendar, app.state.policy, app.state.channels = calendar, policy, channels
    app.state.scopes = scopes = ScopeKeeper(lambda: scope_directory(runtime.pool))
    runtime.on_startup.append(scopes.refresh)
    runtime.background["scope directory refresh"] = scopes.keep_fresh
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],  # the desks decide extensions; the workbench asks for them
        allow_headers=["Authorization", "Content-Type"],
    )
    return app


def enabled_channels(settings: NotificationSettings) -> frozenset[DeliveryChannel]:
    """Webhooks always; e-mail when an SMTP server is given; SMS when its provider is configured."""
    enabled = {DeliveryChannel.WEBHOOK}
    if settings.smtp_host:
        enabled.add(DeliveryChannel.EMAIL)
    if sms_configured(settings):
        enabled.add(DeliveryChannel.SMS)
    return frozenset(enabled)


async def _deliver(runtime: ServiceRuntime, settings: NotificationSettings) -> None:
    async with _senders(settings) as senders:
        retry = RetryPolicy(
            max_attempts=settings.delivery_max_attempts,
            first_delay=timedelta(seconds=settings.delivery_retry_seconds),
            longest_delay=timedelta(seconds=settings.delivery_retry_max_seconds),
        )
        timeout, batch = settings.delivery_timeout_seconds, settings.delivery_batch
        await Delivery(runtime.pool, senders, retry, timeout=timeout, batch=batch, tracer=runtime.tracing.tracer).run()


@contextlib.asynccontextmanager
async def _senders(settings: NotificationSettings) -> AsyncIterator[dict[DeliveryChannel, Sender]]:
    """A sender for each channel this instance has, sharing one HTTP client."""
    timeout = settings.delivery_timeout_seconds
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
        senders: dict[DeliveryChannel, Sender] = {
            DeliveryChannel.WEBHOOK: WebhookChannel(client, settings.webhook_secret.get_secret_value())
        }
        mail = None
        if settings.smtp_host:
            senders[DeliveryChannel.EMAIL] = mail = EmailChannel(
                settings.smtp_host,
                settings.smtp_port,
                settings.smtp_sender,
                timeout,
                settings.smtp_start_tls,
                settings.smtp_local_hostname,
                settings.smtp_connections,
            )
        if (sms := sms_sender(client, settings)) is not None:
            senders[DeliveryChannel.SMS] = sms
        try:
            yield senders
        finally:
            if mail is not None:
                await mail.close()  # QUIT on the SMTP connections kept open
