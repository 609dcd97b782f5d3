"""Re-timing the running clocks of a referral: by a new priority, or, for the stages of a child under monitoring,
by a new assessment level."""

from datetime import datetime

from services.notification.application.clock_ports import ClockTransaction
from services.notification.application.clocks import Rules
from services.notification.domain.deadlines import PRIORITY_TIMED
from shared.domain.monitoring import Assessment
from shared.domain.referrals import Stage
from shared.events import ReferralActionRecorded


async def retime_running(
    store: ClockTransaction,
    action: ReferralActionRecorded,
    rules: Rules,
    stages: tuple[Stage, ...] = PRIORITY_TIMED,
    level: Assessment | None = None,
) -> dict[Stage, datetime]:
    """Each running stage of these gets the limit of the action's priority (or of the level) under the policy it
    was made under (an extended one keeps its approved time); timers not yet fired move (one already past fires
    at once), fired ones are not fired again. Returns the new due times."""
    due_by = {}
    for stage in await store.clocks.running(action.referral_id, older_than=action.version, stages=stages):
        limits = await store.policies.limits_of_version(stage.policy_version)
        due, timers = stage.retimed(action.priority, limits, rules.calendar, level)
        await store.clocks.retime(stage.deadline_id, action.priority, due, action.version, timers, level)
        await store.outbox.enqueue([(stage.scheduled(action.priority, due), str(action.referral_id))])
        due_by[stage.stage] = due.at
    return due_by
