"""What notification announces: a stage's deadline stored, and its timers firing."""

from datetime import datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from shared import topics
from shared.domain.codes import Priority
from shared.domain.referrals import Stage
from shared.events.base import Event


class DeadlineScheduled(Event):
    TOPIC: ClassVar[str] = topics.DEADLINE_SCHEDULED
    deadline_id: UUID
    referral_id: UUID
    report_id: UUID
    stage: Stage
    priority: Priority
    assignee_code: str
    due_at: datetime
    provisional: bool


class DeadlineAlert(Event):
    """A timer of a stage's deadline fired. `late` when it fired well after its time (the service was down)."""

    deadline_id: UUID
    referral_id: UUID
    report_id: UUID
    stage: Stage
    priority: Priority
    assignee_code: str
    due_at: datetime
    fire_at: datetime
    late: bool
    notify: list[str]  # who is told: station, county_centre, committee, hotline
    area_code: str | None = None  # where the child is, when the hotline holds the clock (not a station)


class DeadlineReminderDue(DeadlineAlert):
    TOPIC: ClassVar[str] = topics.DEADLINE_REMINDER_DUE


class DeadlineBreached(DeadlineAlert):
    TOPIC: ClassVar[str] = topics.DEADLINE_BREACHED


class SupervisionIssued(DeadlineAlert):
    """A supervision notice (督办): by the clock to the coordinating committee, or issued by hand by a committee
    member on an overdue stage in its area (`issued_by` then names who)."""

    TOPIC: ClassVar[str] = topics.SUPERVISION_ISSUED
    issued_by: str | None = None


class ExtensionDecision(StrEnum):
    PENDING = "pending"  # asked, not yet decided
    APPROVED = "approved"
    REFUSED = "refused"


class DeadlineExtension(Event):
    """A request for more time on a stage (延期), and then the county centre's decision. The reason stays in
    notification; the event carries codes and times."""

    TOPIC: ClassVar[str] = topics.DEADLINE_EXTENSIONS
    extension_id: UUID
    deadline_id: UUID
    referral_id: UUID
    report_id: UUID
    stage: Stage
    assignee_code: str
    due_at: datetime  # the deadline when asked
    requested_until: datetime
    decision: ExtensionDecision
    decided_by: str | None = None
    at: datetime
