"""The events a referral's changes cause, made from the referral as the change left it."""

from datetime import datetime
from uuid import UUID

from services.referral.domain.changes import Detail, PlacementReason
from services.referral.domain.referral import Referral
from shared.domain.divisions import common_area
from shared.domain.referrals import ReferralAction
from shared.events import DivisionCandidate, ReferralActionRecorded, ReferralAssigned, ReferralUnrouted, ReportLinked


def action_recorded(
    referral: Referral, action: ReferralAction, actor: str, detail: Detail, at: datetime
) -> ReferralActionRecorded:
    return ReferralActionRecorded(
        referral_id=referral.referral_id,
        report_id=referral.report_id,
        version=referral.version,
        action=action,
        actor=actor,
        at=at,
        status=referral.status,
        assignee_code=referral.assignee_code,
        priority=referral.priority,
        detail=detail,
        case_number=referral.case_number,
    )


def placement(referral: Referral, reason: PlacementReason) -> ReferralAssigned | ReferralUnrouted:
    """Where the referral now is: with a station or centre, or in the unrouted queue."""
    if referral.assignee_code is None:
        candidates = [DivisionCandidate(**candidate) for candidate in referral.candidates]
        return ReferralUnrouted(
            referral_id=referral.referral_id,
            report_id=referral.report_id,
            reason=referral.routing_reason,
            priority=referral.priority,
            candidates=candidates,
            version=referral.version,
            area_code=referral.division_code or common_area([candidate.code for candidate in candidates]),
            case_number=referral.case_number,
        )
    return ReferralAssigned(
        referral_id=referral.referral_id,
        report_id=referral.report_id,
        assignee_code=referral.assignee_code,
        assignee_kind=referral.assignee_kind,
        assignee_name=referral.assignee_name,
        priority=referral.priority,
        police_required=referral.police_required,
        assigned_at=referral.updated_at,
        reason=reason,
        version=referral.version,
        case_number=referral.case_number,
    )


def report_linked(referral: Referral, report_id: UUID, reports_in_window: int) -> ReportLinked:
    return ReportLinked(
        report_id=report_id,
        referral_id=referral.referral_id,
        assignee_code=referral.assignee_code,
        assignee_name=referral.assignee_name,
        priority=referral.priority,
        reports_in_window=reports_in_window,
        case_number=referral.case_number,
    )
