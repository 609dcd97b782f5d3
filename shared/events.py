"""Event contracts exchanged over Kafka: one pydantic model per event, named in the past tense.

Events never carry the reporter's identity.
"""

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import ClassVar, Literal
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

from shared import topics
from shared.codes import AssigneeKind, Concern, Priority


def utcnow() -> datetime:
    return datetime.now(UTC)


class Event(BaseModel):
    model_config = ConfigDict(frozen=True)

    TOPIC: ClassVar[str]
    event_id: UUID = Field(default_factory=uuid4)
    occurred_at: datetime = Field(default_factory=utcnow)
    schema_version: Literal[1] = 1


class ReportedChild(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str | None = None
    gender: str | None = None
    age: int | None = None
    birth_date: date | None = None
    id_number: str | None = None
    address: str | None = None
    division_code: str | None = None
    hukou_address: str | None = None
    hukou_division_code: str | None = None
    status: list[str] = []


class ReporterFacts(BaseModel):
    """What may be known of the reporter without knowing who it is."""

    model_config = ConfigDict(frozen=True)

    mandatory_reporter: bool = False
    institution_type: str | None = None
    anonymous: bool = False


class SharedReporterIdentity(BaseModel):
    """The reporter's identity, present in an event only when the reporter consented to share it."""

    model_config = ConfigDict(frozen=True)

    name: str | None = None
    phone: str | None = None
    relation: str | None = None
    institution_name: str | None = None


class ReportReceived(Event):
    TOPIC: ClassVar[str] = topics.REPORT_RECEIVED
    report_id: UUID
    hotline_ticket_id: str | None = None
    received_at: datetime
    channel: str = "phone"
    child: ReportedChild
    concerns: list[Concern]
    immediate_danger: bool = False
    mandatory_report: bool = False
    reporter: ReporterFacts = ReporterFacts()
    reporter_identity: SharedReporterIdentity | None = None
    narrative: str


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


class ReferralAction(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    CONTACT_RECORDED = "contact_recorded"
    HOME_VISIT_RECORDED = "home_visit_recorded"
    ASSESSMENT_RECORDED = "assessment_recorded"
    DECLINED = "declined"
    REASSIGNED = "reassigned"
    POLICE_NOTIFIED = "police_notified"
    CLOSED = "closed"
    PRIORITY_CHANGED = "priority_changed"
    PRIORITY_RAISED = "priority_raised"  # by repeat reports
    INFORMATION_COPY_SENT = "information_copy_sent"


class ReferralActionRecorded(Event):
    """Something was done to a referral. Carries codes and times only, never the notes."""

    TOPIC: ClassVar[str] = topics.REFERRAL_ACTIONS
    referral_id: UUID
    report_id: UUID
    version: int
    action: ReferralAction
    actor: str  # role:scope of who did it, or system:<part>
    at: datetime
    status: str
    assignee_code: str | None
    priority: Priority
    detail: dict[str, str | int | None] = {}


class ReportLinked(Event):
    """A report about a child with an open referral was added to that referral instead of opening one."""

    TOPIC: ClassVar[str] = topics.REPORT_LINKED
    report_id: UUID
    referral_id: UUID
    assignee_code: str | None
    assignee_name: str | None
    priority: Priority
    reports_in_window: int


class DeadlineScheduled(Event):
    TOPIC: ClassVar[str] = topics.DEADLINE_SCHEDULED
    deadline_id: UUID
    referral_id: UUID
    report_id: UUID
    stage: str
    priority: Priority
    assignee_code: str
    due_at: datetime
    provisional: bool


class DeadlineAlert(Event):
    """A timer of a stage's deadline fired. `late` when it fired well after its time (the service was down)."""

    deadline_id: UUID
    referral_id: UUID
    report_id: UUID
    stage: str
    priority: Priority
    assignee_code: str
    due_at: datetime
    fire_at: datetime
    late: bool
    notify: list[str]  # who is told: station, county_centre, committee


class DeadlineReminderDue(DeadlineAlert):
    TOPIC: ClassVar[str] = topics.DEADLINE_REMINDER_DUE


class DeadlineBreached(DeadlineAlert):
    TOPIC: ClassVar[str] = topics.DEADLINE_BREACHED


class SupervisionIssued(DeadlineAlert):
    """A supervision notice (督办) to the coordinating committee."""

    TOPIC: ClassVar[str] = topics.SUPERVISION_ISSUED


class StationDirectoryChanged(Event):
    """A station's or centre's entry in the directory as it now is: referral announces it, notification
    keeps the contacts it delivers to. Keyed by code on a compacted topic."""

    TOPIC: ClassVar[str] = topics.STATION_DIRECTORY
    code: str
    kind: AssigneeKind
    name: str
    county_code: str
    sms_phone: str | None = None
    email: str | None = None
    webhook_url: str | None = None
    active: bool = True
    updated_at: datetime


class NotificationFailed(Event):
    """A notification could not be delivered after its last attempt; the centre (or committee) is told."""

    TOPIC: ClassVar[str] = topics.NOTIFICATION_FAILED
    notification_id: UUID
    kind: str
    referral_id: UUID | None
    receiver_code: str
    channel: str
    attempts: int
    error: str  # the kind of failure, never the message body
