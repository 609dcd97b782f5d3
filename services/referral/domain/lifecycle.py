"""Who may do what to a referral, and in which status. Pure rules.

A caller who may not see the referral is told it does not exist (NotFound); one who may see it but not do
this is refused (Forbidden); an action the referral's status does not allow is a Conflict.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from typing import TYPE_CHECKING, NoReturn

from shared.domain.access import Principal, Role, can_see_case
from shared.domain.divisions import DivisionLevel
from shared.domain.problems import Conflict, Forbidden, NotFound, invalid
from shared.domain.referrals import OPEN_STATUSES, ReferralStatus

if TYPE_CHECKING:
    from services.referral.domain.referral import Referral
    from services.referral.domain.resolution import Place

NO_SUCH_REFERRAL = "没有这个转介"
NO_LONGER_HELD = "该转介已改派给其他单位"


class RefusalCode(StrEnum):
    """Why a step was refused, for a program to act on (the detail is for the person)."""

    NO_LONGER_HELD = "no_longer_held"


class Takers(StrEnum):
    """Who may take a step on a referral they can see."""

    HOLDER = "holder"  # the station or centre that holds it
    HOLDING_STATION = "holding_station"  # a station that holds it (a centre decides instead of declining)
    CENTRE = "centre"
    CENTRE_OR_DISPATCHER = "centre_or_dispatcher"  # a centre; the hotline supervisors while it is unrouted
    HOLDER_OR_TASKED_VILLAGE = "holder_or_tasked_village"  # or the child director of a village it handed a task to


NOT_CLOSED = OPEN_STATUSES | {ReferralStatus.UNROUTED}
CONFLICT_MESSAGES = {
    ReferralStatus.CLOSED: "转介已办结，不能再操作",
    ReferralStatus.UNROUTED: "转介尚未派给任何工作站",
    ReferralStatus.ASSIGNED: "请先签收",
    ReferralStatus.ACKNOWLEDGED: "已签收，不能重复操作",
    ReferralStatus.MONITORING: "孩子在监护监测中：须先有良好的监护评估或结束监护监测",
}


def may_see(caller: Principal, referral: Referral) -> bool:
    """The holder and those above it see a referral; so does a station that was sent a copy, and the child director
    of a village while it has an open task there."""
    if caller.role is Role.STATION and caller.scope in referral.copies_to:
        return True
    if caller.role is Role.VILLAGE:
        return referral.status.is_open and _tasked(caller, referral)
    return can_see_case(caller, referral.assignee_code, referral.division_code)


def may_list_holdings(caller: Principal, station_code: str) -> bool:
    """Another station's list is as unknown to a station as its cases; a centre, committee or operator sees the
    lists in its area."""
    match caller.role:
        case Role.STATION:
            return caller.scope == station_code
        case Role.COUNTY_CENTRE | Role.COMMITTEE | Role.OPERATOR:
            return caller.covers(station_code)
        case Role.VILLAGE:
            return False
    return True


def may_list_copies(caller: Principal, station_code: str) -> bool:
    """A station's copies for information are its own reading: no one else lists them."""
    return caller.role is Role.STATION and caller.scope == station_code


def refuse_unseen(caller: Principal, former_holders: Collection[str]) -> NoReturn:
    """A caller who may not see the referral learns nothing of it, except a station or centre that once held it:
    it learns that the referral has moved on (its phone may still have the case), and no more."""
    if caller.role in (Role.STATION, Role.COUNTY_CENTRE) and caller.scope in former_holders:
        raise Conflict(NO_LONGER_HELD, code=RefusalCode.NO_LONGER_HELD)
    raise NotFound(NO_SUCH_REFERRAL)


def check(caller: Principal, referral: Referral, takers: Takers, allowed_in: Collection[ReferralStatus]) -> None:
    """Raises NotFound, Forbidden or Conflict unless the caller may take a step that `takers` may take while
    the referral is in one of the `allowed_in` statuses."""
    if not may_see(caller, referral):
        raise NotFound(NO_SUCH_REFERRAL)
    if not _is_one_of(caller, takers, referral):
        raise Forbidden("当前角色无权执行此操作")
    if referral.status not in allowed_in:
        raise Conflict(CONFLICT_MESSAGES.get(referral.status, "当前状态不允许此操作"))


def _is_one_of(caller: Principal, takers: Takers, referral: Referral) -> bool:
    holds_it = caller.role in (Role.STATION, Role.COUNTY_CENTRE) and caller.scope == referral.assignee_code
    match takers:
        case Takers.HOLDER:
            return holds_it
        case Takers.HOLDING_STATION:
            return holds_it and caller.role is Role.STATION
        case Takers.CENTRE:
            return caller.role is Role.COUNTY_CENTRE
        case Takers.CENTRE_OR_DISPATCHER:
            # The centre decides within its area; the hotline supervisors dispatch what nobody took.
            unrouted = referral.status is ReferralStatus.UNROUTED
            return caller.role is Role.COUNTY_CENTRE or (caller.role is Role.OPERATOR and unrouted)
        case Takers.HOLDER_OR_TASKED_VILLAGE:
            return holds_it or (caller.role is Role.VILLAGE and _tasked(caller, referral))
    return False


def _tasked(caller: Principal, referral: Referral) -> bool:
    return any(village == caller.scope for _, village in referral.open_tasks)


OUTSIDE_COUNTY = "只能改派到本县（区）的乡镇（街道），或交给其他县（区）的救助保护中心"


def check_within_the_centres_county(caller: Principal, place: Place) -> None:
    """A centre moves a case to a township of its own county; one that lies elsewhere goes to that county's
    centre, which decides there (a centre cannot place a case it will no longer see)."""
    centre = caller.role is Role.COUNTY_CENTRE
    if centre and not caller.covers(place.code) and place.level is not DivisionLevel.COUNTY:
        raise invalid("division_code", "outside_county", OUTSIDE_COUNTY)
