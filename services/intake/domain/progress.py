"""What the 12345 platform's work order and a mandatory reporter's receipt are told of a case: its steps, with
the outcome in words safe to read to the reporter. Pure: no I/O."""

from datetime import datetime
from uuid import UUID

from shared.domain.access import Principal, Role
from shared.domain.codes import Milestone
from shared.domain.outcomes import Outcome
from shared.events import ReportProgressed


def progressed(
    report_id: UUID,
    hotline_ticket_id: str | None,
    platform_client: str | None,
    case_number: str | None,
    milestone: Milestone,
    at: datetime,
    outcome: Outcome | None = None,
) -> ReportProgressed:
    return ReportProgressed(
        report_id=report_id,
        hotline_ticket_id=hotline_ticket_id,
        platform_client=platform_client,
        case_number=case_number,
        milestone=milestone,
        at=at,
        outcome=outcome if milestone is Milestone.CLOSED else None,
        outcome_text=outcome.reporter_text if outcome and milestone is Milestone.CLOSED else None,
    )


def platform_client_of(principal: Principal) -> str | None:
    """The 12345 platform client that filed a report, whose work order is told of each step; None for an
    operator at a desk."""
    return principal.platform_client if principal.role is Role.OPERATOR else None
