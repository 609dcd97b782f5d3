"""Closing a referral, and opening it again when the reporter was not satisfied. Pure rules; called by
Referral's methods.

A police-required or P1 case closes only once the police were told and the child or family was contacted
or visited: a refusal names each missing step, in words and by code."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from services.referral.domain.changes import ActionContext, Change, Detail, PlacementReason
from services.referral.domain.lifecycle import Takers, check
from services.referral.domain.routing import RoutingReason, Station
from shared.domain.codes import AssigneeKind, Priority
from shared.domain.divisions import county_of
from shared.domain.outcomes import Outcome
from shared.domain.problems import Conflict
from shared.domain.referrals import ReferralAction, ReferralStatus

if TYPE_CHECKING:
    from datetime import datetime

    from services.referral.domain.referral import Referral

DISSATISFIED_CALLBACK = "dissatisfied_callback"
CALLBACK_ACTOR = "system:callback"


class MissingStep(StrEnum):
    POLICE_NOTICE = "police_notice"
    CONTACT_OR_VISIT = "contact_or_visit"

    @property
    def label(self) -> str:
        return {"police_notice": "报警记录", "contact_or_visit": "联系或入户走访记录"}[self.value]


def missing_before_closing(referral: Referral) -> tuple[MissingStep, ...]:
    if not (referral.police_required or referral.priority is Priority.P1):
        return ()
    missing = []
    if referral.police_notified_at is None:
        missing.append(MissingStep.POLICE_NOTICE)
    if referral.first_contact_at is None and referral.home_visit_at is None:
        missing.append(MissingStep.CONTACT_OR_VISIT)
    return tuple(missing)


def closed(referral: Referral, context: ActionContext, outcome: Outcome, notes: str | None) -> Change:
    check(context.caller, referral, Takers.HOLDER, {ReferralStatus.ACKNOWLEDGED})
    missing = missing_before_closing(referral)
    if missing:
        words = "、".join(step.label for step in missing)
        raise Conflict(f"紧急或需报警的案件办结前还须：{words}", missing=tuple(step.value for step in missing))
    fields = {"status": ReferralStatus.CLOSED, "closed_at": context.now, "outcome": outcome}
    return Change(fields, ReferralAction.CLOSED, {"outcome": outcome.value}, notes)


def reviewing_centre(referral: Referral) -> str | None:
    """The code of the county centre of the referral's area, which reviews it when it is opened again."""
    return county_of(referral.division_code) or county_of(referral.assignee_code)


def reopened(referral: Referral, centre: Station | None, report_id: str, now: datetime) -> Change:
    """The reporter was not satisfied: the referral, closed or not, goes to the county centre for review,
    to be acknowledged again; with no centre to take it, to the hotline supervisors' unrouted queue."""
    if centre is not None and centre.kind is not AssigneeKind.COUNTY_CENTRE:
        centre = None
    fields: dict[str, object] = {
        "status": ReferralStatus.ASSIGNED if centre else ReferralStatus.UNROUTED,
        "assignee_code": centre.code if centre else None,
        "acknowledged_at": None,
        "closed_at": None,
        "outcome": None,
        "reopened_at": now,
    }
    if centre is None:
        fields["routing_reason"] = RoutingReason.NO_STATION_COVERS_DIVISION
    detail: Detail = {
        "reason": DISSATISFIED_CALLBACK,
        "report_id": report_id,
        "moved_to": centre.code if centre else None,
        "outcome_before": referral.outcome.value if referral.outcome else None,
    }
    return Change(fields, ReferralAction.REOPENED, detail, moved=PlacementReason.REOPENED)
