"""Requests for more time on a stage (延期) and 督办 by hand: who may ask, decide or issue, and when. Pure.

The station or centre holding an open deadline asks before it passes, for a later time within 30 days of
it; one request waits at a time. The county centre over the holder approves or refuses (a committee or a
station may not); approval moves the deadline and its timers. A committee member issues a 督办 on an
overdue open stage in its area.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from services.notification.domain.deadlines import DeadlineStatus
from services.notification.domain.notices import Audience
from services.notification.domain.timers import HOTLINE_STAGES, TimerKind, timer_points
from shared.domain.access import Principal, Role, can_see_case
from shared.domain.codes import Priority
from shared.domain.problems import Conflict, Forbidden, NotFound, invalid
from shared.domain.referrals import Stage
from shared.events import SupervisionIssued
from shared.events.deadlines import ExtensionDecision

LONGEST_EXTENSION = timedelta(days=30)


@dataclass(frozen=True)
class HeldDeadline:
    """A stage's deadline as a request, a decision or a 督办 finds it."""

    deadline_id: UUID
    referral_id: UUID
    report_id: UUID
    stage: Stage
    priority: Priority
    assignee_code: str
    starts_at: datetime
    due_at: datetime
    status: DeadlineStatus
    area_code: str | None
    case_number: str | None
    pending_extension: UUID | None

    def seen_by(self, caller: Principal) -> bool:
        return can_see_case(caller, self.assignee_code, self.area_code)

    def overdue(self, now: datetime) -> bool:
        return self.status is DeadlineStatus.PENDING and self.due_at < now

    def timers_until(self, until: datetime) -> dict[TimerKind, datetime]:
        """The ladder of timers for the stage, had its deadline been this one from the start."""
        return timer_points(self.starts_at, until, self.priority)


def check_request(caller: Principal, deadline: HeldDeadline | None, until: datetime, now: datetime) -> HeldDeadline:
    if deadline is None or not deadline.seen_by(caller):
        raise NotFound("没有这个期限")
    if caller.role not in (Role.STATION, Role.COUNTY_CENTRE) or caller.scope != deadline.assignee_code:
        raise Forbidden("只有承办该环节的工作站或中心可以申请延期")
    if deadline.status is not DeadlineStatus.PENDING or deadline.due_at <= now:
        raise Conflict("该环节已办结或已逾期，不能申请延期")
    if deadline.pending_extension is not None:
        raise Conflict("该环节已有延期申请待审批")
    if until <= deadline.due_at:
        raise invalid("requested_until", "not_later", "延期后的期限须晚于当前期限")
    if until > deadline.due_at + LONGEST_EXTENSION:
        raise invalid("requested_until", "too_long", "延期不得超过当前期限后30天")
    return deadline


def check_decision(caller: Principal, deadline: HeldDeadline | None, decision: ExtensionDecision) -> HeldDeadline:
    """`deadline` is the one the request waits on, found by the request's id; None when there is none."""
    if deadline is None or not deadline.seen_by(caller):
        raise NotFound("没有这个延期申请")
    if caller.role is not Role.COUNTY_CENTRE or not caller.covers(deadline.assignee_code):
        raise Forbidden("延期申请由承办单位所在县（市、区）的救助保护中心审批")
    if deadline.pending_extension is None:
        raise Conflict("该延期申请已审批")
    if decision is ExtensionDecision.APPROVED and deadline.status is not DeadlineStatus.PENDING:
        raise Conflict("该环节已办结，无需延期")
    return deadline


def check_supervision(caller: Principal, deadline: HeldDeadline | None, now: datetime) -> HeldDeadline:
    if deadline is None or not deadline.seen_by(caller):
        raise NotFound("没有这个期限")
    if caller.role is not Role.COMMITTEE:
        raise Forbidden("督办由协调机制成员发出")
    if not deadline.overdue(now):
        raise Conflict("只能督办逾期未办的环节")
    return deadline


def supervision_by_hand(deadline: HeldDeadline, caller: Principal, now: datetime) -> SupervisionIssued:
    """Told to the holder (the hotline's lead, for a clock it holds) and the county centre."""
    holder = Audience.HOTLINE if deadline.stage in HOTLINE_STAGES else Audience.ASSIGNEE
    return SupervisionIssued(
        deadline_id=deadline.deadline_id,
        referral_id=deadline.referral_id,
        report_id=deadline.report_id,
        stage=deadline.stage,
        priority=deadline.priority,
        assignee_code=deadline.assignee_code,
        due_at=deadline.due_at,
        fire_at=now,
        late=False,
        notify=[holder.value, Audience.COUNTY_CENTRE.value],
        area_code=deadline.area_code,
        issued_by=f"{caller.role.value}:{caller.subject}",
    )
