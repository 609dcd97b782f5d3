"""Event contracts exchanged over Kafka: one pydantic model per event, named in the past tense.

Events never carry the reporter's identity.
"""

from datetime import UTC, datetime
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

    division_code: str | None = None
    address: str | None = None
    age: int | None = None


class ReportReceived(Event):
    TOPIC: ClassVar[str] = topics.REPORT_RECEIVED
    report_id: UUID
    received_at: datetime
    child: ReportedChild
    concerns: list[Concern]
    immediate_danger: bool = False
    mandatory_report: bool = False
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
