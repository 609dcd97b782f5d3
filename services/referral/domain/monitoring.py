"""A child under monitoring: the assessment that starts, continues or ends it, the pairing helper (结对帮扶人)
the station names, the follow-up visits, and the station ending it when the child turns 18 or moves away (the
referral then goes to the new township's station, to be acknowledged and assessed again). Pure rules; the
guardianship levels are shared.domain.monitoring's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from services.referral.domain import tasks
from services.referral.domain.aftercare import monitoring_stopped
from services.referral.domain.changes import ActionContext, Change, Detail, PlacementReason, RoutingNeeded, placed
from services.referral.domain.lifecycle import Takers, check
from services.referral.domain.resolver import resolve
from services.referral.domain.routing import Routing
from shared.domain.ages import age_on
from shared.domain.divisions import DivisionLevel, township_of
from shared.domain.monitoring import MONITORED_LEVELS, Assessment, MonitoringEnd, MonitoringStep, TaskKind
from shared.domain.problems import Conflict, invalid
from shared.domain.referrals import ReferralAction, ReferralStatus
from shared.timezones import CHINA

if TYPE_CHECKING:
    from services.referral.domain.referral import Referral

ASSESSED_IN = frozenset({ReferralStatus.ACKNOWLEDGED, ReferralStatus.MONITORING})
UNDER_MONITORING = frozenset({ReferralStatus.MONITORING})
ADULT_AGE = 18


@dataclass(frozen=True)
class Helper:
    name: str
    phone: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class Ending:
    reason: MonitoringEnd
    division_code: str | None = None  # where the child moved to
    at: datetime | None = None


def assessed(
    referral: Referral, context: ActionContext, level: Assessment, at: datetime | None, notes: str | None
) -> Change:
    """一般, 较差 or 危险 puts the child under monitoring (or keeps it there); 良好 ends it. 危险 makes the case one
    the police must be told of, unless they have been."""
    check(context.caller, referral, Takers.HOLDER, ASSESSED_IN)
    at = referral.happened(at, context)
    fields: dict[str, object] = {"assessment": level, "assessed_at": referral.assessed_at or at}
    detail: Detail = {"level": level.value, "at": at.isoformat()}
    monitored = referral.status is ReferralStatus.MONITORING
    if level in MONITORED_LEVELS:
        fields["status"] = ReferralStatus.MONITORING
        if not monitored:
            fields |= {"monitoring_started_at": at, "monitoring_ended_at": None, "monitoring_end_reason": None}
        detail["monitoring"] = (MonitoringStep.CONTINUES if monitored else MonitoringStep.STARTED).value
    elif monitored:
        fields |= monitoring_stopped(at, MonitoringEnd.GOOD_ASSESSMENT) | {"status": ReferralStatus.ACKNOWLEDGED}
        detail |= {"monitoring": MonitoringStep.ENDED.value, "reason": MonitoringEnd.GOOD_ASSESSMENT.value}
    if level is Assessment.DANGEROUS and not referral.police_required and referral.police_notified_at is None:
        fields["police_required"] = True
        detail["police_required"] = "true"
    return Change(fields, ReferralAction.ASSESSMENT_RECORDED, detail, notes)


def helper_named(referral: Referral, context: ActionContext, helper: Helper, notes: str | None) -> Change:
    """A second naming replaces the helper. The name and phone stay on the referral, never in the history or
    the event."""
    _check_monitored(context, referral, Takers.HOLDER)
    at = _since_monitoring(referral, helper.at, context)
    fields = {"helper_name": helper.name, "helper_phone": helper.phone, "helper_named_at": at}
    return Change(fields, ReferralAction.HELPER_NAMED, {"at": at.isoformat()}, notes)


def follow_up_visited(referral: Referral, context: ActionContext, at: datetime | None, notes: str | None) -> Change:
    done = tasks.step_taken(context.caller, referral, TaskKind.FOLLOW_UP_VISIT, UNDER_MONITORING)
    at = _since_monitoring(referral, at, context)
    latest = referral.monitoring.follow_up_visit_at
    detail: Detail = {"at": at.isoformat()}
    if done:
        detail["village_code"] = done.village_code
    fields = {"follow_up_visit_at": at if latest is None or at > latest else latest}
    return Change(fields, ReferralAction.FOLLOW_UP_VISIT_RECORDED, detail, notes, task=done)


def ended(referral: Referral, context: ActionContext, ending: Ending, notes: str | None) -> Change | RoutingNeeded:
    """The child turned 18 (not before the birth data say so), or moved away: the referral goes to the new
    township's station like a reassignment."""
    _check_monitored(context, referral, Takers.HOLDING_STATION)
    at = _since_monitoring(referral, ending.at, context)
    fields = monitoring_stopped(at, ending.reason)
    detail: Detail = {"reason": ending.reason.value, "at": at.isoformat(), "monitoring": MonitoringStep.ENDED.value}
    if ending.reason is MonitoringEnd.TURNED_18:
        if ending.division_code is not None:
            raise invalid("division_code", "not_moved", "孩子未迁出时不填区划代码")
        born = referral.child_birth_date
        if born is not None and age_on(born, at.astimezone(CHINA).date()) < ADULT_AGE:
            raise invalid("reason", "under_18", "按出生日期，孩子当时未满18周岁")
        return Change(fields | {"status": ReferralStatus.ACKNOWLEDGED}, ReferralAction.MONITORING_ENDED, detail, notes)
    if ending.reason is not MonitoringEnd.MOVED_AWAY:
        raise invalid("reason", "not_by_the_station", "只能因年满18周岁或迁出结束监护监测")
    code = _new_township(referral, context, ending.division_code)

    def then(target: Routing) -> Change:
        if target.assignee is None:
            raise invalid("division_code", "no_station", "该乡镇（街道）没有工作站")
        moved = detail | {"division_code": code, "moved_to": target.assignee.code}
        return Change(
            placed(target) | fields, ReferralAction.MONITORING_ENDED, moved, notes, PlacementReason.REASSIGNED
        )

    return RoutingNeeded(code, then)


def _new_township(referral: Referral, context: ActionContext, division_code: str | None) -> str:
    """The township (or a village in it) the child moved to: known, and not the holder's own."""
    if division_code is None:
        raise invalid("division_code", "required", "迁出须填写迁入的乡镇（街道）或村（社区）代码")
    place = resolve(context.gazetteer, None, division_code).place
    if place is None or place.level not in (DivisionLevel.TOWNSHIP, DivisionLevel.VILLAGE):
        raise invalid("division_code", "unknown_township", "没有这个乡镇（街道）或村（社区）代码")
    if township_of(place.code) == township_of(referral.assignee_code):
        raise invalid("division_code", "same_township", "迁入地须是其他乡镇（街道）")
    return place.code


def _check_monitored(context: ActionContext, referral: Referral, takers: Takers) -> None:
    """Who may take the step is checked first; then an acknowledged child not under monitoring is told so."""
    check(context.caller, referral, takers, ASSESSED_IN)
    if referral.status is not ReferralStatus.MONITORING:
        raise Conflict("孩子不在监护监测中")


def _since_monitoring(referral: Referral, at: datetime | None, context: ActionContext) -> datetime:
    at = referral.happened(at, context)
    started = referral.monitoring.monitoring_started_at
    if started is not None and at < started:
        raise invalid("at", "before_monitoring", "不能早于开始监护监测的时间")
    return at
