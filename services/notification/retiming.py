"""A new priority for a referral (a centre's change, or the third repeat report) re-times the stages still
running, from when their clocks started, under the policy version each was made under."""

import asyncpg

from services.notification.deadlines import Stage, deadline_for, timer_points
from services.notification.policies import limits_of_version
from services.notification.workdays import WorkCalendar
from shared.events import DeadlineScheduled, ReferralActionRecorded
from shared.outbox import enqueue


async def retime_running_stages(
    connection: asyncpg.Connection, action: ReferralActionRecorded, calendar: WorkCalendar
) -> None:
    """Each running stage gets the new priority's limit under the policy it was made under; timers not yet
    fired move (one already past fires at once), fired ones are not fired again."""
    running = await connection.fetch(
        "SELECT deadline_id, report_id, stage, starts_at, assignee_code, policy_version FROM deadlines "
        "WHERE referral_id = $1 AND status = 'pending' AND priority_version < $2 FOR UPDATE",
        action.referral_id,
        action.version,
    )
    for deadline in running:
        limits = await limits_of_version(connection, deadline["policy_version"])
        due = deadline_for(Stage(deadline["stage"]), action.priority, deadline["starts_at"], limits, calendar)
        await connection.execute(
            "UPDATE deadlines SET priority = $2, due_at = $3, provisional = $4, priority_version = $5 "
            "WHERE deadline_id = $1",
            deadline["deadline_id"],
            action.priority.value,
            due.at,
            due.provisional,
            action.version,
        )
        for kind, fire_at in timer_points(deadline["starts_at"], due.at, action.priority).items():
            await connection.execute(
                "UPDATE timers SET fire_at = $3 WHERE deadline_id = $1 AND kind = $2 AND status = 'pending'",
                deadline["deadline_id"],
                kind.value,
                fire_at,
            )
        rescheduled = DeadlineScheduled(
            deadline_id=deadline["deadline_id"],
            referral_id=action.referral_id,
            report_id=deadline["report_id"],
            stage=deadline["stage"],
            priority=action.priority,
            assignee_code=deadline["assignee_code"],
            due_at=due.at,
            provisional=due.provisional,
        )
        await enqueue(connection, rescheduled, key=str(action.referral_id))
