"""The timers of a stage's deadline, the escalation ladder: a reminder to the station when 75% of the stage's
time has passed; at the deadline, the county centre; half the stage's time later, the committee (督办).
An unrouted referral's dispatch and the callback climb the same ladder from the hotline supervisors' lead to
the committee."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from services.notification.domain.notices import Audience, CaseLabel
from shared.domain.codes import Priority
from shared.domain.referrals import Stage
from shared.events import DeadlineAlert, DeadlineBreached, DeadlineReminderDue, SupervisionIssued


class TimerKind(StrEnum):
    REMINDER = "reminder"
    BREACH = "breach"
    SUPERVISION = "supervision"


REMINDER_AT = 0.75  # of the stage's time
SUPERVISION_AFTER = 0.5  # of the stage's time, past the deadline


def timer_points(start: datetime, due: datetime, priority: Priority) -> dict[TimerKind, datetime]:
    """When the station is reminded, when the deadline is breached, and when the committee is told.
    A P1 breach goes to the committee at once."""
    span = due - start
    return {
        TimerKind.REMINDER: start + span * REMINDER_AT,
        TimerKind.BREACH: due,
        TimerKind.SUPERVISION: due if priority is Priority.P1 else due + span * SUPERVISION_AFTER,
    }


# Who is told when each timer fires.
WHO_IS_TOLD = {
    TimerKind.REMINDER: [Audience.ASSIGNEE.value],
    TimerKind.BREACH: [Audience.COUNTY_CENTRE.value],
    TimerKind.SUPERVISION: [Audience.COMMITTEE.value],
}
WHO_IS_TOLD_OF_DISPATCH = {
    TimerKind.REMINDER: [Audience.HOTLINE.value],
    TimerKind.BREACH: [Audience.HOTLINE.value],
    TimerKind.SUPERVISION: [Audience.COMMITTEE.value],
}


HOTLINE_STAGES = (Stage.DISPATCH, Stage.CALLBACK)  # the clocks the hotline holds


def who_is_told(kind: TimerKind, stage: Stage) -> list[str]:
    return (WHO_IS_TOLD_OF_DISPATCH if stage in HOTLINE_STAGES else WHO_IS_TOLD)[kind]


ALERTS: dict[TimerKind, type[DeadlineAlert]] = {
    TimerKind.REMINDER: DeadlineReminderDue,
    TimerKind.BREACH: DeadlineBreached,
    TimerKind.SUPERVISION: SupervisionIssued,
}


@dataclass(frozen=True)
class FiredTimer:
    timer_id: UUID
    kind: TimerKind
    fire_at: datetime
    late: bool  # fired well after its time (the service was down)
    deadline_id: UUID
    referral_id: UUID
    report_id: UUID
    stage: Stage
    priority: Priority
    assignee_code: str
    due_at: datetime
    area_code: str | None = None  # where the child is, for a clock the hotline holds
    case_number: str | None = None
    holder_name: str | None = None
    extension_pending: bool = False

    def label(self) -> CaseLabel:
        return CaseLabel(self.case_number, self.holder_name, self.extension_pending)

    def alert(self) -> DeadlineAlert:
        return ALERTS[self.kind](
            deadline_id=self.deadline_id,
            referral_id=self.referral_id,
            report_id=self.report_id,
            stage=self.stage,
            priority=self.priority,
            assignee_code=self.assignee_code,
            due_at=self.due_at,
            fire_at=self.fire_at,
            late=self.late,
            notify=who_is_told(self.kind, self.stage),
            area_code=self.area_code,
        )
