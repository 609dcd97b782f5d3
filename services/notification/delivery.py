"""Builds the dispatcher from the settings: the channels this instance has, and its retry policy."""

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import httpx

from services.notification.channels import Channel, EmailChannel, SmsChannel, SmsRequestShape, WebhookChannel
from services.notification.dispatcher import Dispatcher, RetryPolicy
from services.notification.settings import NotificationSettings


@contextlib.asynccontextmanager
async def dispatcher_for(pool: asyncpg.Pool, settings: NotificationSettings) -> AsyncIterator[Dispatcher]:
    timeout = settings.delivery_timeout_seconds
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
        channels: dict[str, Channel] = {"webhook": WebhookChannel(client, settings.webhook_secret.get_secret_value())}
        if settings.smtp_host:
            channels["email"] = EmailChannel(
                settings.smtp_host, settings.smtp_port, settings.smtp_sender, timeout, settings.smtp_start_tls
            )
        if settings.sms_gateway_url:
            shape = SmsRequestShape(
                url=settings.sms_gateway_url,
                template=settings.sms_request_template,
                headers=settings.sms_headers,
                success_field=settings.sms_success_field,
                success_value=settings.sms_success_value,
            )
            channels["sms"] = SmsChannel(client, shape)
        retry = RetryPolicy(
            max_attempts=settings.delivery_max_attempts,
            first_delay=timedelta(seconds=settings.delivery_retry_seconds),
            longest_delay=timedelta(seconds=settings.delivery_retry_max_seconds),
        )
        yield Dispatcher(pool, channels, retry, timeout=timeout, batch=settings.delivery_batch)
