"""Firing the timers that are due. Several instances may run at once: each claims due rows with
FOR UPDATE SKIP LOCKED, and marks them fired in the transaction that puts their events in the outbox and
their notifications in the table the dispatcher delivers from, so a crash before the commit leaves them
pending and nothing fires twice."""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import asyncpg

from services.notification.deadlines import WHO_IS_TOLD, TimerKind
from services.notification.notices import notices_for_alert
from services.notification.notifications import record_notices
from shared.domain.codes import Priority
from shared.events import DeadlineAlert, DeadlineBreached, DeadlineReminderDue, SupervisionIssued, utcnow
from shared.outages import OUTAGES
from shared.outbox import enqueue_many

log = logging.getLogger(__name__)

ALERTS: dict[TimerKind, type[DeadlineAlert]] = {
    TimerKind.REMINDER: DeadlineReminderDue,
    TimerKind.BREACH: DeadlineBreached,
    TimerKind.SUPERVISION: SupervisionIssued,
}

CLAIM_DUE = """
WITH due AS (
    SELECT t.timer_id FROM timers t
    WHERE t.status = 'pending' AND t.fire_at <= $1
    ORDER BY t.fire_at
    LIMIT $2
    FOR UPDATE SKIP LOCKED
)
UPDATE timers t SET status = 'fired', fired_at = $1, late = $1 - t.fire_at > $3
FROM due, deadlines d
WHERE t.timer_id = due.timer_id AND d.deadline_id = t.deadline_id
RETURNING t.timer_id, t.kind, t.fire_at, t.late, d.deadline_id, d.referral_id, d.report_id, d.stage,
          d.priority, d.assignee_code, d.due_at
"""


class Scheduler:
    def __init__(
        self,
        pool: asyncpg.Pool,
        clock: Callable[[], datetime] = utcnow,
        batch: int = 200,
        late_after: timedelta = timedelta(minutes=1),
        idle_seconds: float = 0.5,
        channels: frozenset[str] = frozenset({"webhook"}),
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
            fired = await connection.fetch(CLAIM_DUE, self.clock(), self.batch, self.late_after)
            alerts = [_alert(timer) for timer in fired]
            await enqueue_many(connection, [(alert, str(alert.referral_id)) for alert in alerts])
            notices = [(alert.event_id, notice) for alert in alerts for notice in notices_for_alert(alert)]
            await record_notices(connection, notices, self.channels)
        if any(timer["late"] for timer in fired):
            log.warning("%d timers fired late", sum(timer["late"] for timer in fired))
        return len(fired)

    async def run(self) -> None:
        while True:
            try:
                if await self.fire_due() == self.batch:
                    continue
            except OUTAGES as error:
                log.warning("scheduler: outage (%s); trying again", type(error).__name__)
            await asyncio.sleep(self.idle_seconds)


def _alert(timer: asyncpg.Record) -> DeadlineAlert:
    kind = TimerKind(timer["kind"])
    return ALERTS[kind](
        deadline_id=timer["deadline_id"],
        referral_id=timer["referral_id"],
        report_id=timer["report_id"],
        stage=timer["stage"],
        priority=Priority(timer["priority"]),
        assignee_code=timer["assignee_code"],
        due_at=timer["due_at"],
        fire_at=timer["fire_at"],
        late=timer["late"],
        notify=WHO_IS_TOLD[kind],
    )
