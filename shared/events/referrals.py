"""What referral announces: where a report went, what was done to its referral, and repeat reports."""

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared import topics
from shared.domain.codes import AssigneeKind, Priority
from shared.domain.referrals import ReferralAction, ReferralStatus
from shared.events.base import Event


class ReferralAssigned(Event):
    """A referral reached a station or centre: when it is opened, and again each time it moves."""

    TOPIC: ClassVar[str] = topics.REFERRAL_ASSIGNED
    referral_id: UUID
    report_id: UUID
    assignee_code: str
    assignee_kind: AssigneeKind
    assignee_name: str
    priority: Priority
    police_required: bool
    assigned_at: datetime
    reason: str = "routed"  # routed, declined, reassigned or dispatched
    version: int = 1  # grows with every change of the referral, so that a late event can be told apart
    case_number: str | None = None  # the number people read aloud, such as 晋中-2026-000123


class DivisionCandidate(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    path: str


class ReferralUnrouted(Event):
    """No station or centre could take a report: the hotline supervisors must dispatch it."""

    TOPIC: ClassVar[str] = topics.REFERRAL_UNROUTED
    referral_id: UUID
    report_id: UUID
    reason: str
    priority: Priority
    candidates: list[DivisionCandidate] = []
    version: int = 1  # as ReferralAssigned's: the referral's version when it entered the queue
    area_code: str | None = None  # the smallest division known to hold the child, whose committee is told
    case_number: str | None = None


class ReferralActionRecorded(Event):
    """Something was done to a referral. Carries codes and times only, never the notes."""

    TOPIC: ClassVar[str] = topics.REFERRAL_ACTIONS
    referral_id: UUID
    report_id: UUID
    version: int
    action: ReferralAction
    actor: str  # role:scope of who did it, or system:<part>
    at: datetime
    status: ReferralStatus
    assignee_code: str | None
    priority: Priority
    detail: dict[str, str | int | None] = {}
    case_number: str | None = None


class ReportLinked(Event):
    """A report about a child with an open referral was added to that referral instead of opening one."""

    TOPIC: ClassVar[str] = topics.REPORT_LINKED
    report_id: UUID
    referral_id: UUID
    assignee_code: str | None
    assignee_name: str | None
    priority: Priority
    reports_in_window: int
    case_number: str | None = None
