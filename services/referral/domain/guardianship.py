"""Temporary guardianship (临时监护) by the county centre over the referral: started (with the institution and
why), decided not needed, ended. Starting it ends monitoring. A referral in guardianship may still be closed by
its holder, and it can be ended after that. Pure rules; the reasons stay in the history as notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from services.referral.domain.aftercare import monitoring_stopped
from services.referral.domain.changes import ActionContext, Change, Detail
from services.referral.domain.lifecycle import Takers, check
from shared.domain.monitoring import MonitoringEnd, MonitoringStep
from shared.domain.problems import Conflict, invalid
from shared.domain.referrals import OPEN_STATUSES, ReferralAction, ReferralStatus

if TYPE_CHECKING:
    from services.referral.domain.referral import Referral

ENDED_IN = OPEN_STATUSES | {ReferralStatus.CLOSED}
ALREADY_RUNNING = "孩子已在临时监护中"


@dataclass(frozen=True)
class Placement:
    placement: str  # the institution
    reason: str
    at: datetime | None = None


def started(referral: Referral, context: ActionContext, placement: Placement) -> Change:
    check(context.caller, referral, Takers.CENTRE, OPEN_STATUSES)
    if referral.guardianship.running:
        raise Conflict(ALREADY_RUNNING)
    at = referral.happened(placement.at, context)
    fields: dict[str, object] = {
        "guardianship_started_at": at,
        "guardianship_placement": placement.placement,
        "guardianship_reason": placement.reason,
        "guardianship_ended_at": None,
    }
    detail: Detail = {"at": at.isoformat()}
    if referral.status is ReferralStatus.MONITORING:
        fields |= monitoring_stopped(at, MonitoringEnd.GUARDIANSHIP) | {"status": ReferralStatus.ACKNOWLEDGED}
        detail |= {"monitoring": MonitoringStep.ENDED.value, "reason": MonitoringEnd.GUARDIANSHIP.value}
    return Change(fields, ReferralAction.GUARDIANSHIP_STARTED, detail, placement.reason)


def not_needed(referral: Referral, context: ActionContext, reason: str) -> Change:
    """The centre decided against it: a child under monitoring stays so."""
    check(context.caller, referral, Takers.CENTRE, OPEN_STATUSES)
    if referral.guardianship.running:
        raise Conflict(ALREADY_RUNNING)
    fields = {"guardianship_decided_at": context.now}
    return Change(fields, ReferralAction.GUARDIANSHIP_NOT_NEEDED, {"at": context.now.isoformat()}, reason)


def ended(referral: Referral, context: ActionContext, at: datetime | None, reason: str) -> Change:
    check(context.caller, referral, Takers.CENTRE, ENDED_IN)
    started_at = referral.guardianship.guardianship_started_at
    if not referral.guardianship.running or started_at is None:
        raise Conflict("孩子不在临时监护中")
    at = referral.happened(at, context)
    if at < started_at:
        raise invalid("at", "before_guardianship", "不能早于临时监护开始的时间")
    return Change({"guardianship_ended_at": at}, ReferralAction.GUARDIANSHIP_ENDED, {"at": at.isoformat()}, reason)
