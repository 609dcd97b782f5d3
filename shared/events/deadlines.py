"""What notification announces: a stage's deadline stored, and its timers firing."""

from datetime import datetime
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
    """A supervision notice (督办) to the coordinating committee."""

    TOPIC: ClassVar[str] = topics.SUPERVISION_ISSUED
