"""Firing the timers that are due. Several instances may run at once: each claims due timers and marks them
fired in the transaction that puts their alerts in the outbox and their notifications in the table delivery
works from, so a crash before the commit leaves them pending and nothing fires twice."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import asyncpg

from services.notification.adapters.timer_repository import TimerRepository
from services.notification.application.addressing import record_notices
from services.notification.application.batch_loop import repeat_in_batches
from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.notices import notices_for_alert
from shared.events import utcnow
from shared.outbox import enqueue_many

log = logging.getLogger(__name__)


class TimerFiring:
    def __init__(
        self,
        pool: asyncpg.Pool,
        clock: Callable[[], datetime] = utcnow,
        batch: int = 200,
        late_after: timedelta = timedelta(minutes=1),
        idle_seconds: float = 0.5,
        channels: frozenset[DeliveryChannel] = frozenset({DeliveryChannel.WEBHOOK}),
    ) -> None:
        self.pool = pool
        self.channels = channels
        self.clock = clock
        self.batch = batch
        self.late_after = late_after
        self.idle_seconds = idle_seconds

    async def fire_due(self) -> int:
        """Fires up to one batch of due timers; returns how many."""
        async with self.pool.acquire() as connection, connection.transaction():
            fired = await TimerRepository(connection).fire_due(self.clock(), self.batch, self.late_after)
            alerts = [(timer.alert(), timer.label()) for timer in fired]
            await enqueue_many(connection, [(alert, str(alert.referral_id)) for alert, _ in alerts])
            notices = [
                (alert.event_id, notice) for alert, label in alerts for notice in notices_for_alert(alert, label)
            ]
            await record_notices(connection, notices, self.channels)
        if any(timer.late for timer in fired):
            log.warning("%d timers fired late", sum(timer.late for timer in fired))
        return len(fired)

    async def run(self) -> None:
        await repeat_in_batches(self.fire_due, self.batch, self.idle_seconds, "timer firing")
