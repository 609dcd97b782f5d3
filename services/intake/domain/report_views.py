"""What each role sees of a stored report and its routing: operators see the reports of their area with the
child, and the hotline centre that took it the reporter too (for the callback); others see the child masked and
never the reporter's identity; lists mask ID numbers."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from services.intake.domain.receipts import shown
from services.intake.domain.reporter_identity import ReporterIdentity, visible_identity
from services.intake.domain.timeline import TimelineItem
from shared.domain.access import Principal, Role, can_see_case, in_operators_area
from shared.identifiers import mask_child, mask_id_number


class RoutingStatus(BaseModel):
    state: str  # a CaseStatus: where the report went, then how far its case has come
    case_number: str | None = None
    referral_id: str | None
    station_code: str | None
    station_name: str | None
    priority: str | None
    reason: str | None
    next_deadline_stage: str | None
    next_deadline_at: datetime | None
    outcome: str | None = None
    outcome_label: str | None = None
    closed_at: datetime | None = None
    called_back_at: datetime | None = None


@dataclass(frozen=True)
class StoredReport:
    """A report as intake keeps it: the child and the reporter's facts as given, the identity still sealed."""

    report_id: UUID
    hotline_ticket_id: str | None
    received_at: datetime
    channel: str
    division_code: str | None
    child: dict[str, Any]
    concerns: list[str]
    immediate_danger: bool
    mandatory_report: bool
    narrative: str
    reporter: dict[str, Any]
    sealed_identity: bytes | None
    identity_shared: bool
    routing: RoutingStatus
    receipt_number: str | None = None
    hotline_area: str | None = None  # the area of the hotline centre that took it

    def visible_to(self, principal: Principal) -> bool:
        """An operator or a committee reads its own area's reports only; another area's are as unknown as missing
        ones."""
        if principal.role is Role.OPERATOR:
            return in_operators_area(principal, self.division_code, self.hotline_area)
        return can_see_case(principal, self.routing.station_code, self.division_code)


class ReportView(BaseModel):
    report_id: str
    hotline_ticket_id: str | None
    received_at: datetime
    channel: str
    child: dict[str, Any]
    concerns: list[str]
    immediate_danger: bool
    mandatory_report: bool
    narrative: str
    reporter: dict[str, Any]
    status: RoutingStatus
    receipt_number: str | None  # a mandatory reporter's, for operators
    timeline: list[TimelineItem] = []


class ReportListItem(BaseModel):
    report_id: str
    hotline_ticket_id: str | None
    received_at: datetime
    child_name: str | None
    child_id_number: str | None
    division_code: str | None
    concerns: list[str]
    status: RoutingStatus


def report_view(
    stored: StoredReport,
    principal: Principal,
    unseal: Callable[[bytes], ReporterIdentity],
    timeline: list[TimelineItem],
) -> ReportView:
    identity = visible_identity(stored.sealed_identity, stored.identity_shared, stored.hotline_area, principal, unseal)
    return ReportView(
        report_id=str(stored.report_id),
        hotline_ticket_id=stored.hotline_ticket_id,
        received_at=stored.received_at,
        channel=stored.channel,
        child=stored.child if principal.role is Role.OPERATOR else mask_child(stored.child),
        concerns=stored.concerns,
        immediate_danger=stored.immediate_danger,
        mandatory_report=stored.mandatory_report,
        narrative=stored.narrative,
        reporter=stored.reporter | identity,
        status=stored.routing,
        receipt_number=shown(stored.receipt_number)
        if stored.receipt_number and principal.role is Role.OPERATOR
        else None,
        timeline=timeline,
    )


def list_item(stored: StoredReport) -> ReportListItem:
    return ReportListItem(
        report_id=str(stored.report_id),
        hotline_ticket_id=stored.hotline_ticket_id,
        received_at=stored.received_at,
        child_name=stored.child.get("name"),
        child_id_number=mask_id_number(stored.child.get("id_number")),
        division_code=stored.child.get("division_code"),
        concerns=stored.concerns,
        status=stored.routing,
    )
