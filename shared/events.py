"""Event contracts exchanged over Kafka: one pydantic model per event, named in the past tense.

Events never carry the reporter's identity.
"""

from datetime import UTC, date, datetime
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
    TOPIC: ClassVar[str] = topics.REFERRAL_ASSIGNED
    referral_id: UUID
    report_id: UUID
    assignee_code: str
    assignee_kind: AssigneeKind
    assignee_name: str
    priority: Priority
    police_required: bool
    assigned_at: datetime


class ReferralUnrouted(Event):
    TOPIC: ClassVar[str] = topics.REFERRAL_UNROUTED
    referral_id: UUID
    report_id: UUID
    reason: str
    priority: Priority


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
