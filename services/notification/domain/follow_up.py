"""The clocks that start apart from a holder's assignment: the callback (回访) the hotline holds from the
referral's opening (and again from a second closing, after a reopening), the police's notice for a case that
becomes police-required later, and the police's feedback from when they were told. Pure: no I/O."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.notification.domain.deadlines import DeadlineStatus, deadline_for
from services.notification.domain.notices import HOTLINE_CODE
from services.notification.domain.policy import VersionedPolicy
from services.notification.domain.stage_clocks import ClocksSoFar, StageDeadline
from services.notification.domain.timers import timer_points
from services.notification.domain.workdays import WorkCalendar
from shared.domain.codes import Priority
from shared.domain.monitoring import Assessment
from shared.domain.referrals import Stage
from shared.events import ReferralActionRecorded, ReferralAssigned, ReferralUnrouted


@dataclass(frozen=True)
class ClockStart:
    """Who holds a clock that starts now, and from when."""

    referral_id: UUID
    report_id: UUID
    holder: str
    starts_at: datetime
    priority: Priority
    version: int
    area_code: str | None = None
    case_number: str | None = None


def running_clock(
    stage: Stage,
    start: ClockStart,
    so_far: ClocksSoFar,
    policy: VersionedPolicy,
    calendar: WorkCalendar,
    level: Assessment | None = None,
    deadline_id: UUID | None = None,
) -> StageDeadline:
    """A running stage clock with its timers, under the given id, else the id the stage already has, if any. A
    monitoring stage's time follows the assessment level; its timers, like any stage's, the priority."""
    due = deadline_for(stage, level or start.priority, start.starts_at, policy.limits, calendar)
    return StageDeadline(
        deadline_id=deadline_id or so_far.deadline_id(stage),
        referral_id=start.referral_id,
        report_id=start.report_id,
        stage=stage,
        assignee_code=start.holder,
        starts_at=start.starts_at,
        priority=start.priority,
        due=due,
        status=DeadlineStatus.PENDING,
        met_at=None,
        assignee_version=start.version,
        policy_version=policy.version or None,
        timers=timer_points(start.starts_at, due.at, start.priority),
        area_code=start.area_code,
        case_number=start.case_number,
        level=level,
    )


def callback_start(opened: ReferralAssigned | ReferralUnrouted) -> ClockStart:
    """The hotline's callback from the referral's opening; its committee is the one over the holder, or over
    where the child is when nobody holds it. The report reaches referral within seconds of its receipt, so
    the opening stands for the report's time."""
    if isinstance(opened, ReferralAssigned):
        at, area = opened.assigned_at, opened.assignee_code
    else:
        at, area = opened.occurred_at, opened.area_code
    return ClockStart(
        opened.referral_id, opened.report_id, HOTLINE_CODE, at, opened.priority, 0, area, opened.case_number
    )


def needs_callback(so_far: ClocksSoFar) -> bool:
    return Stage.CALLBACK not in so_far.deadlines


def callback_again(closed: ReferralActionRecorded, so_far: ClocksSoFar) -> ClockStart | None:
    """A case closed again after a reopening gets a new callback from this closing, when the first was made."""
    known = so_far.deadlines.get(Stage.CALLBACK)
    if known is None or known.status is not DeadlineStatus.MET:
        return None
    return ClockStart(
        closed.referral_id,
        closed.report_id,
        HOTLINE_CODE,
        closed.at,
        closed.priority,
        0,
        closed.assignee_code,
        closed.case_number,
    )


def happened_at(action: ReferralActionRecorded) -> datetime:
    """When the step took place, as the station recorded it (`at` in the detail), else when it was recorded."""
    try:
        told = datetime.fromisoformat(str(action.detail["at"]))
    except (KeyError, ValueError):
        return action.at
    return told if told.tzinfo is not None else action.at


def police_start(action: ReferralActionRecorded, stage: Stage, so_far: ClocksSoFar) -> ClockStart | None:
    """The police's notice (a case become police-required) or their feedback (the police told), for the
    holder, unless the stage has a clock already, the holder's clocks have not started (they start it with
    theirs) or the case is closed."""
    if stage in so_far.deadlines or not so_far.started or so_far.closed or not action.assignee_code:
        return None
    return ClockStart(
        action.referral_id,
        action.report_id,
        action.assignee_code,
        happened_at(action),
        action.priority,
        so_far.holder_version or action.version,
        None,
        action.case_number,
    )
