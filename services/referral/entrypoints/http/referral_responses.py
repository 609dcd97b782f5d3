"""Shapes of the referral API's answers: a referral, and one with its history and reports."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import AliasChoices, AliasPath, BaseModel, ConfigDict, Field, computed_field

from services.referral.application.queries import CopyHeld, ReferralCase
from services.referral.domain.referral import Referral
from services.referral.domain.resolution import MatchedBy, Weight
from shared.domain.codes import Concern
from shared.domain.monitoring import MonitoringEnd, TaskKind
from shared.domain.referrals import ReferralStatus


class WeighedView(BaseModel):
    """What one name in the address counted for when the resolver placed the child."""

    model_config = ConfigDict(from_attributes=True)

    text: str
    weight: Weight
    codes: list[str]

    @computed_field
    @property
    def label(self) -> str:
        return self.weight.label


class ReferralView(BaseModel):
    referral_id: UUID
    case_number: str | None  # what people read and say, such as 晋中-2026-000123
    report_id: UUID
    status: str
    assignee_code: str | None
    assignee_kind: str | None
    assignee_name: str | None
    priority: str
    police_required: bool
    routing_reason: str
    division_code: str | None
    match_method: str | None
    candidates: list[dict[str, str]]
    weighed: list[WeighedView]  # kept when it opened unrouted or with candidates
    decline_count: int
    report_count: int
    acknowledged_at: datetime | None
    first_contact_at: datetime | None
    home_visit_at: datetime | None
    assessed_at: datetime | None
    assessment: str | None
    police_notified_at: datetime | None
    police_station: str | None
    police_case_number: str | None
    police_feedback: str | None
    police_feedback_at: datetime | None
    closed_at: datetime | None
    outcome: str | None
    reopened_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
    received_at: datetime  # when its first report came in
    child_name_masked: str | None  # 王*明, for every role; the reports hold the name as the role may see it
    village_name: str | None  # the village (else the township) the child was placed in, in words
    concerns: list[Concern]
    in_guardianship: bool = Field(  # 临时监护 started and not ended
        default=False, validation_alias=AliasChoices("in_guardianship", AliasPath("guardianship", "running"))
    )

    @computed_field
    @property
    def monitoring_level(self) -> str | None:
        """The level of the assessment that keeps the child under monitoring, while it does."""
        return self.assessment if self.status == ReferralStatus.MONITORING else None

    @computed_field
    @property
    def concern_labels(self) -> list[str]:
        return [concern.label for concern in self.concerns]

    @computed_field
    @property
    def matched_by_label(self) -> str | None:
        """How the resolver placed the child, in the supervisors' words."""
        return MatchedBy(self.match_method).label if self.match_method else None

    @classmethod
    def of(cls, referral: Referral) -> "ReferralView":
        return cls.model_validate(referral, from_attributes=True)


class CopyView(ReferralView):
    """A referral a station holds a copy of, for information."""

    copy_reason: str
    copied_at: datetime

    @classmethod
    def of_copy(cls, copy: CopyHeld) -> "CopyView":
        view = ReferralView.of(copy.referral).model_dump()
        return cls(**view, copy_reason=copy.reason, copied_at=copy.copied_at)


class HistoryEntry(BaseModel):
    action: str
    actor: str
    detail: dict[str, Any]
    at: datetime


class CaseReport(BaseModel):
    """One report a referral holds, as the caller may see it."""

    report_id: UUID
    received_at: datetime
    linked: bool
    concerns: list[str]
    immediate_danger: bool
    mandatory_report: bool
    institution_type: str | None
    child: dict[str, Any]
    narrative: str
    reporter_identity: dict[str, Any] | None  # present only when the reporter consented to share it


class HelperView(BaseModel):
    """The pairing helper (结对帮扶人): the name and phone masked but for the holder and the county centre."""

    model_config = ConfigDict(from_attributes=True)

    name: str | None
    phone: str | None
    named_at: datetime


class MonitoringView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    monitoring_started_at: datetime | None
    follow_up_visit_at: datetime | None  # the latest
    monitoring_ended_at: datetime | None
    monitoring_end_reason: MonitoringEnd | None


class GuardianshipView(BaseModel):
    """Temporary guardianship (临时监护) by the county centre: its start, the institution, why, its end."""

    model_config = ConfigDict(from_attributes=True)

    guardianship_started_at: datetime | None
    guardianship_placement: str | None
    guardianship_reason: str | None
    guardianship_ended_at: datetime | None
    guardianship_decided_at: datetime | None  # when the centre decided it was not needed


class OpenTask(BaseModel):
    """A task handed to a village's child director and not yet done."""

    kind: TaskKind
    village_code: str


class ReferralDetail(ReferralView):
    history: list[HistoryEntry]
    reports: list[CaseReport]
    copies_to: list[str]
    open_tasks: list[OpenTask] = []
    monitoring: MonitoringView
    helper: HelperView | None
    guardianship: GuardianshipView

    @classmethod
    def of_case(cls, case: ReferralCase) -> "ReferralDetail":
        referral = case.referral
        return cls(
            **ReferralView.of(referral).model_dump(),
            history=[HistoryEntry.model_validate(entry) for entry in case.history],
            reports=[CaseReport.model_validate(report) for report in case.reports],
            copies_to=list(referral.copies_to),
            open_tasks=[OpenTask(kind=kind, village_code=village) for kind, village in referral.open_tasks],
            monitoring=MonitoringView.model_validate(referral.monitoring),
            helper=HelperView.model_validate(case.helper) if case.helper else None,
            guardianship=GuardianshipView.model_validate(referral.guardianship),
        )
