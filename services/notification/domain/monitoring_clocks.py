"""The clocks of a child under monitoring (监护监测), from what is done to the referral. Pure: no I/O.

An assessment of 一般, 较差 or 危险 starts the pairing helper's clock (unless one was named) and the next follow-up
visit's, both held by the referral's holder and timed by the level; 危险 also starts the county centre's decision
on temporary guardianship. A re-assessment at another level re-times the running ones. Each follow-up visit
meets its clock and starts the next visit's from the visit. An action that leaves the referral out of monitoring
cancels the helper's and the visit's clocks (a closing cancels the centre's decision too).

The follow-up visit repeats while every other stage has one deadline per referral: each visit's clock is a row of
its own under a new id, kept when met (the history of visits made on time) or cancelled, and at most one runs at
a time (the deadlines table's unique index spares a follow-up visit's ended rows).
"""

from uuid import uuid4

from services.notification.domain.deadlines import DeadlineStatus
from services.notification.domain.follow_up import ClockStart, happened_at, running_clock
from services.notification.domain.policy import VersionedPolicy
from services.notification.domain.stage_clocks import ClocksSoFar, StageDeadline
from services.notification.domain.workdays import WorkCalendar
from shared.domain.divisions import county_of
from shared.domain.monitoring import MONITORED_LEVELS, Assessment
from shared.domain.referrals import ReferralAction, ReferralStatus, Stage
from shared.events import ReferralActionRecorded

# The stages whose clock starts again when it was cancelled (monitoring ended, then began again); one met
# stays met: the helper was named, the centre decided.
ONCE_MET = (Stage.HELPER, Stage.GUARDIANSHIP_DECISION)


def monitoring_level(action: ReferralActionRecorded) -> Assessment | None:
    """The level of an assessment that starts or continues monitoring; None for any other action."""
    if action.action is not ReferralAction.ASSESSMENT_RECORDED or action.status is not ReferralStatus.MONITORING:
        return None
    level = action.detail.get("level")
    return Assessment(level) if level in MONITORED_LEVELS else None


def leaves_monitoring(action: ReferralActionRecorded) -> bool:
    return action.status is not ReferralStatus.MONITORING


def decision_holder(holder: str) -> str | None:
    """The county centre over the referral's holder (a centre holding it holds its own decision)."""
    return county_of(holder)


def _start(action: ReferralActionRecorded, holder: str, so_far: ClocksSoFar) -> ClockStart:
    return ClockStart(
        action.referral_id,
        action.report_id,
        holder,
        happened_at(action),
        action.priority,
        so_far.holder_version or action.version,
        None,
        action.case_number,
    )


def _wanted(stage: Stage, so_far: ClocksSoFar) -> bool:
    """Whether an assessment starts this stage's clock: none runs and, for a stage done once, it was not done."""
    known = so_far.deadlines.get(stage)
    if known is None:
        return True
    ended = (DeadlineStatus.CANCELLED,) if stage in ONCE_MET else (DeadlineStatus.CANCELLED, DeadlineStatus.MET)
    return known.status in ended


def clocks_for_assessment(
    action: ReferralActionRecorded,
    level: Assessment,
    so_far: ClocksSoFar,
    policy: VersionedPolicy,
    calendar: WorkCalendar,
) -> list[StageDeadline]:
    """The clocks an assessment at a monitored level starts, from the assessment's time."""
    holders = {Stage.HELPER: action.assignee_code, Stage.FOLLOW_UP_VISIT: action.assignee_code}
    if level is Assessment.DANGEROUS:
        holders[Stage.GUARDIANSHIP_DECISION] = decision_holder(action.assignee_code or "")
    clocks = []
    for stage, holder in holders.items():
        if holder and _wanted(stage, so_far):
            fresh = uuid4() if stage is Stage.FOLLOW_UP_VISIT else None  # each visit's clock is a row of its own
            start = _start(action, holder, so_far)
            clocks.append(running_clock(stage, start, so_far, policy, calendar, level, fresh))
    return clocks


def next_visit(
    action: ReferralActionRecorded, so_far: ClocksSoFar, policy: VersionedPolicy, calendar: WorkCalendar
) -> StageDeadline | None:
    """The next follow-up visit's clock, from this visit, at the level the last one was timed by; none when the
    referral is not under monitoring or had no visit clock."""
    known = so_far.deadlines.get(Stage.FOLLOW_UP_VISIT)
    if leaves_monitoring(action) or not action.assignee_code or known is None or known.level is None:
        return None
    start = _start(action, action.assignee_code, so_far)
    return running_clock(Stage.FOLLOW_UP_VISIT, start, so_far, policy, calendar, known.level, uuid4())
