"""Starting the clock: a referral assigned to a station gets its acknowledge deadline."""

from uuid import uuid4

import asyncpg

from services.notification.deadlines import Stage, deadline_for
from shared.events import ReferralAssigned
from shared.inbox import claim_event


async def schedule_acknowledgement(pool: asyncpg.Pool, assigned: ReferralAssigned) -> None:
    due = deadline_for(Stage.ACKNOWLEDGE, assigned.priority, assigned.assigned_at)
    async with pool.acquire() as connection, connection.transaction():
        if not await claim_event(connection, assigned.event_id, assigned.TOPIC):
            return
        await connection.execute(
            "INSERT INTO deadlines (deadline_id, referral_id, report_id, stage, priority, assignee_code, "
            "starts_at, due_at, provisional) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
            "ON CONFLICT (referral_id, stage) DO NOTHING",
            uuid4(),
            assigned.referral_id,
            assigned.report_id,
            Stage.ACKNOWLEDGE.value,
            assigned.priority.value,
            assigned.assignee_code,
            assigned.assigned_at,
            due.at,
            due.provisional,
        )
