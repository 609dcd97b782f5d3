"""Starting the clock: a referral assigned to a station gets its acknowledge deadline."""

from uuid import uuid4

import asyncpg

from services.notification.deadlines import Stage, deadline_for
from shared.events import DeadlineScheduled, ReferralAssigned
from shared.inbox import claim_event
from shared.outbox import enqueue


async def schedule_acknowledgement(pool: asyncpg.Pool, assigned: ReferralAssigned) -> None:
    due = deadline_for(Stage.ACKNOWLEDGE, assigned.priority, assigned.assigned_at)
    async with pool.acquire() as connection, connection.transaction():
        if not await claim_event(connection, assigned.event_id, assigned.TOPIC):
            return
        deadline_id = uuid4()
        inserted = await connection.fetchval(
            "INSERT INTO deadlines (deadline_id, referral_id, report_id, stage, priority, assignee_code, "
            "starts_at, due_at, provisional) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
            "ON CONFLICT (referral_id, stage) DO NOTHING RETURNING true",
            deadline_id,
            assigned.referral_id,
            assigned.report_id,
            Stage.ACKNOWLEDGE.value,
            assigned.priority.value,
            assigned.assignee_code,
            assigned.assigned_at,
            due.at,
            due.provisional,
        )
        if inserted:
            scheduled = DeadlineScheduled(
                deadline_id=deadline_id,
                referral_id=assigned.referral_id,
                report_id=assigned.report_id,
                stage=Stage.ACKNOWLEDGE.value,
                priority=assigned.priority,
                assignee_code=assigned.assignee_code,
                due_at=due.at,
                provisional=due.provisional,
            )
            await enqueue(connection, scheduled, key=str(assigned.report_id))
