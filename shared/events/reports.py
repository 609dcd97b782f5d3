"""A report as intake announces it (it carries the reporter's identity only when the reporter consented), and a
report that went no further."""

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared import topics
from shared.domain.child_identity import ChildFacts
from shared.domain.codes import (
    Channel,
    ChildStatus,
    Concern,
    Gender,
    InstitutionType,
    Milestone,
    Satisfaction,
    StuckReason,
)
from shared.domain.outcomes import Outcome
from shared.events.base import Event


class ReportedChild(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str | None = None
    gender: Gender | None = None
    age: int | None = None
    birth_date: date | None = None
    id_number: str | None = None
    address: str | None = None
    division_code: str | None = None
    hukou_address: str | None = None
    hukou_division_code: str | None = None
    status: list[ChildStatus] = []

    def facts(self) -> ChildFacts:
        """What tells this child apart from others (see `shared.domain.child_identity`)."""
        return ChildFacts(id_number=self.id_number, name=self.name, birth_date=self.birth_date, age=self.age)


class ReporterFacts(BaseModel):
    """What may be known of the reporter without knowing who it is."""

    model_config = ConfigDict(frozen=True)

    mandatory_reporter: bool = False
    institution_type: InstitutionType | None = None
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
    channel: Channel = Channel.PHONE
    child: ReportedChild
    concerns: list[Concern]
    immediate_danger: bool = False
    mandatory_report: bool = False
    reporter: ReporterFacts = ReporterFacts()
    reporter_identity: SharedReporterIdentity | None = None
    narrative: str


class ReportStuck(Event):
    """An accepted report went no further: an event about it was dead-lettered, or no referral came of it in
    time. Codes and times only: the error is the dead letter's, which names error kinds and fields, no values."""

    TOPIC: ClassVar[str] = topics.REPORT_STUCK
    report_id: UUID
    hotline_ticket_id: str | None = None
    reason: StuckReason
    since: datetime  # when the event was set aside, or when the report was accepted
    error: str | None = None
    source_topic: str | None = None
    consumer_group: str | None = None


class CallbackRecorded(Event):
    """The hotline called the reporter back (回访). The operator's notes stay in intake."""

    TOPIC: ClassVar[str] = topics.CALLBACK_RECORDED
    report_id: UUID
    referral_id: UUID | None = None
    case_number: str | None = None
    reached: bool
    satisfaction: Satisfaction | None = None  # only when the reporter was reached
    at: datetime
    recorded_by: str  # role:subject of the operator


class ReportProgressed(Event):
    """A step of the case that the 12345 platform's work order and a mandatory reporter's receipt are told of.
    `outcome_text` is safe to read to the reporter: nothing about the child or family."""

    TOPIC: ClassVar[str] = topics.REPORT_PROGRESSED
    report_id: UUID
    hotline_ticket_id: str | None = None
    platform_client: str | None = None  # the 12345 platform client that filed it, whose work order is told
    case_number: str | None = None
    milestone: Milestone
    at: datetime
    outcome: Outcome | None = None
    outcome_text: str | None = None
