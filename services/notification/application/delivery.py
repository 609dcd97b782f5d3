"""Delivering pending notifications, with retries and a dead state.

A batch is claimed and leased (its next attempt moved past the delivery timeout) in a short transaction that
also logs the attempt as in flight; delivery happens outside any transaction; the outcome is recorded after:
a failure at once, in a transaction of its own, and the batch's deliveries together in one.
A service killed mid-delivery leaves the attempt in flight and the lease runs out, so the notification is
tried again: the receiver deduplicates on its id.
"""

import asyncio
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

import asyncpg
from opentelemetry import trace

from services.notification.adapters.channels.sending import DeliveryFailed, Outgoing, Sender
from services.notification.adapters.delivery_log import DeliveryLog
from services.notification.adapters.notification_repository import NotificationRepository
from services.notification.application.addressing import declare_dead
from services.notification.application.batch_loop import repeat_in_batches
from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.delivery_rules import AttemptOutcome, Notification, NotificationStatus, RetryPolicy
from shared.events import utcnow
from shared.trace_context import NO_TRACER, resumed

DEFAULT_RETRIES = RetryPolicy()


class Delivery:
    def __init__(
        self,
        pool: asyncpg.Pool,
        senders: Mapping[DeliveryChannel, Sender],
        retry: RetryPolicy = DEFAULT_RETRIES,
        timeout: float = 10.0,
        batch: int = 20,
        clock: Callable[[], datetime] = utcnow,
        idle_seconds: float = 0.5,
        tracer: trace.Tracer = NO_TRACER,
    ) -> None:
        self.pool = pool
        self.senders = senders
        self.retry = retry
        self.timeout = timeout
        self.batch = batch
        self.clock = clock
        self.idle_seconds = idle_seconds
        self.tracer = tracer

    async def deliver_due(self) -> int:
        """Makes one attempt at up to a batch of due notifications; returns how many were tried."""
        claimed = await self._claim()
        finished = await asyncio.gather(*(self._attempt(one) for one in claimed), return_exceptions=True)
        delivered = [(one, at) for one, at in zip(claimed, finished, strict=True) if isinstance(at, datetime)]
        if delivered:  # recorded even when another attempt of the batch met an outage
            await self._delivered(sorted(delivered, key=lambda pair: pair[0].notification_id))
        for outcome in finished:
            if isinstance(outcome, BaseException):
                raise outcome
        return len(claimed)

    async def run(self) -> None:
        await repeat_in_batches(self.deliver_due, self.batch, self.idle_seconds, "delivery")

    async def _claim(self) -> list[Notification]:
        now = self.clock()
        lease = timedelta(seconds=self.timeout * 3)
        async with self.pool.acquire() as connection, connection.transaction():
            claimed = await NotificationRepository(connection).claim_due(now, self.batch, lease)
            await DeliveryLog(connection).started(claimed, now)
        return claimed

    async def _attempt(self, notification: Notification) -> datetime | None:
        """When it was delivered, or None. In the trace of the event that made the notice; one made outside
        any trace starts none."""
        name, channel = f"deliver {notification.kind.value} notice", {"notice.channel": notification.channel.value}
        with (
            resumed(notification.traceparent, notification.tracestate),
            self.tracer.start_as_current_span(name, kind=trace.SpanKind.CLIENT, attributes=channel),
        ):
            return await self._deliver(notification)

    async def _deliver(self, notification: Notification) -> datetime | None:
        sender = self.senders.get(notification.channel)
        if sender is None:
            await self._failed(notification, "channel_not_configured")
            return None
        try:
            await asyncio.wait_for(sender.send(_outgoing(notification)), self.timeout)
        except DeliveryFailed as failure:
            await self._failed(notification, failure.reason)
        except TimeoutError:
            await self._failed(notification, "timeout")
        else:
            return self.clock()
        return None

    async def _delivered(self, delivered: list[tuple[Notification, datetime]]) -> None:
        """In one order, so that two batches cannot deadlock."""
        async with self.pool.acquire() as connection, connection.transaction():
            await DeliveryLog(connection).delivered(delivered)
            await NotificationRepository(connection).mark_delivered(
                [(one.notification_id, at) for one, at in delivered]
            )

    async def _failed(self, notification: Notification, reason: str) -> None:
        trace.get_current_span().set_status(trace.StatusCode.ERROR, reason)
        async with self.pool.acquire() as connection, connection.transaction():
            now = self.clock()
            await DeliveryLog(connection).finished(notification, AttemptOutcome.FAILED, reason, now)
            notifications = NotificationRepository(connection)
            current = await notifications.locked(notification.notification_id)
            if current is None or _moved_on(current, notification):
                return  # delivered meanwhile, or another instance took it up after the lease ran out
            if current.attempts >= self.retry.max_attempts:
                await declare_dead(connection, current, frozenset(self.senders), error=reason)
                return
            await notifications.retry_at(notification.notification_id, now + self.retry.delay_after(current.attempts))


def _moved_on(current: Notification, attempted: Notification) -> bool:
    return current.status is not NotificationStatus.PENDING or (current.resends, current.attempts) != (
        attempted.resends,
        attempted.attempts,
    )


def _outgoing(notification: Notification) -> Outgoing:
    return Outgoing(
        notification_id=notification.notification_id,
        kind=notification.kind.value,
        referral_id=notification.referral_id,
        receiver_code=notification.receiver_code,
        address=notification.address,
        subject=notification.subject,
        body=notification.body,
    )
