"""Shapes of the referral API's answers: a referral, and one with its history and reports."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from services.referral.application.queries import ReferralCase
from services.referral.domain.referral import Referral


class ReferralView(BaseModel):
    referral_id: UUID
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
    decline_count: int
    report_count: int
    acknowledged_at: datetime | None
    first_contact_at: datetime | None
    home_visit_at: datetime | None
    assessed_at: datetime | None
    assessment: str | None
    police_notified_at: datetime | None
    closed_at: datetime | None
    outcome: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, referral: Referral) -> "ReferralView":
        return cls.model_validate(referral, from_attributes=True)


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


class ReferralDetail(ReferralView):
    history: list[HistoryEntry]
    reports: list[CaseReport]
    copies_to: list[str]

    @classmethod
    def of_case(cls, case: ReferralCase) -> "ReferralDetail":
        referral = case.referral
        return cls(
            **{name: getattr(referral, name) for name in ReferralView.model_fields},
            history=[HistoryEntry.model_validate(entry) for entry in case.history],
            reports=[CaseReport.model_validate(report) for report in case.reports],
            copies_to=list(referral.copies_to),
        )
