"""What an action does to the clocks of a child under monitoring (see domain/monitoring_clocks), on the ports of
clock_ports, inside the action's transaction: the clocks started, re-timed by a new level, the next visit's
started, or all cancelled when the referral leaves monitoring; the county centre told of 较差 and 危险."""

from services.notification.application.clock_ports import ClockTransaction
from services.notification.application.clocks import Rules, schedule
from services.notification.application.retiming import retime_running
from services.notification.domain.monitoring_clocks import (
    clocks_for_assessment,
    leaves_monitoring,
    monitoring_level,
    next_visit,
)
from services.notification.domain.monitoring_notices import notice_for_centre, tells_centre
from services.notification.domain.notices import Notice
from services.notification.domain.stage_clocks import ClocksSoFar, StageDeadline
from shared.domain.referrals import MONITORING_STAGES, ReferralAction
from shared.events import ReferralActionRecorded


async def act_on_monitoring(
    store: ClockTransaction, action: ReferralActionRecorded, so_far: ClocksSoFar, rules: Rules
) -> list[Notice]:
    """The notices it causes. `so_far`: the referral's clocks as they were before the action."""
    if leaves_monitoring(action):
        await store.clocks.cancel(action.referral_id, list(MONITORING_STAGES), action.at)
        return []
    if action.action is ReferralAction.FOLLOW_UP_VISIT_RECORDED:
        visit = next_visit(action, so_far, rules.policy, rules.calendar)
        await _start(store, [visit] if visit else [])
        return []
    level = monitoring_level(action)
    if level is None:
        return []
    due_by = await retime_running(store, action, rules, MONITORING_STAGES, level)
    started = clocks_for_assessment(action, level, so_far, rules.policy, rules.calendar)
    await _start(store, started)
    if not tells_centre(level):
        return []
    station = await store.names.name_of(action.assignee_code or "")
    return [notice_for_centre(action, level, station, due_by | {clock.stage: clock.due.at for clock in started})]


async def _start(store: ClockTransaction, clocks: list[StageDeadline]) -> None:
    await store.clocks.start(clocks)
    await schedule(store, clocks)
