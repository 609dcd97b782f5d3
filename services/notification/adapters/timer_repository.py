"""Due timers in PostgreSQL. Several instances may fire at once: each claims due rows with
FOR UPDATE SKIP LOCKED and marks them fired in its transaction, so a crash before the commit leaves them
pending and nothing fires twice."""

from datetime import datetime, timedelta

import asyncpg

from services.notification.domain.timers import FiredTimer, TimerKind
from shared.domain.codes import Priority
from shared.domain.referrals import Stage

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
          d.priority, d.assignee_code, d.due_at, d.area_code, d.case_number,
          (SELECT r.name FROM receivers r WHERE r.code = d.assignee_code AND r.kind IN ('station', 'county_centre')
           LIMIT 1) AS holder_name,
          EXISTS (SELECT 1 FROM extensions e WHERE e.deadline_id = d.deadline_id AND e.decision = 'pending')
              AS extension_pending
"""


class TimerRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def fire_due(self, now: datetime, batch: int, late_after: timedelta) -> list[FiredTimer]:
        """Marks up to a batch of due timers fired, the most overdue first, and returns them."""
        rows = await self._connection.fetch(CLAIM_DUE, now, batch, late_after)
        return [
            FiredTimer(
                **dict(row)
                | {"kind": TimerKind(row["kind"]), "stage": Stage(row["stage"]), "priority": Priority(row["priority"])}
            )
            for row in rows
        ]
