"""Who may do what to a referral, and in which state. Pure rules.

A caller who may not see the referral is told it does not exist (404); one who may see it but not do
this is refused (403); an action the referral's state does not allow is a conflict (409).
"""

from collections.abc import Collection
from enum import StrEnum

from shared.domain.access import Principal, Role, can_see_case


class Step(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    CONTACT = "contact"
    HOME_VISIT = "home_visit"
    ASSESSMENT = "assessment"
    POLICE_NOTIFIED = "police_notified"
    DECLINE = "decline"
    REASSIGN = "reassign"
    CHANGE_PRIORITY = "change_priority"
    CLOSE = "close"


OPEN = frozenset({"assigned", "acknowledged"})
ALLOWED_IN = {
    Step.ACKNOWLEDGE: frozenset({"assigned"}),
    Step.CONTACT: frozenset({"acknowledged"}),
    Step.HOME_VISIT: frozenset({"acknowledged"}),
    Step.ASSESSMENT: frozenset({"acknowledged"}),
    Step.POLICE_NOTIFIED: OPEN,
    Step.DECLINE: OPEN,
    Step.REASSIGN: OPEN | {"unrouted"},
    Step.CHANGE_PRIORITY: OPEN | {"unrouted"},
    Step.CLOSE: frozenset({"acknowledged"}),
}
CONFLICT_MESSAGES = {
    "closed": "转介已办结，不能再操作",
    "unrouted": "转介尚未派给任何工作站",
    "assigned": "请先签收",
    "acknowledged": "已签收，不能重复操作",
}
ASSIGNEE_STEPS = frozenset(
    {Step.ACKNOWLEDGE, Step.CONTACT, Step.HOME_VISIT, Step.ASSESSMENT, Step.POLICE_NOTIFIED, Step.CLOSE}
)


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def may_see(caller: Principal, referral: dict, copy_holders: Collection[str] = ()) -> bool:
    if caller.role is Role.STATION and caller.scope in copy_holders:
        return True
    return can_see_case(caller, referral["assignee_code"], referral["division_code"])


def check(caller: Principal, step: Step, referral: dict, copy_holders: Collection[str] = ()) -> None:
    """Raises Refused unless the caller may take this step now."""
    if not may_see(caller, referral, copy_holders):
        raise Refused(404, "没有这个转介")
    if not _may_take(caller, step, referral):
        raise Refused(403, "当前角色无权执行此操作")
    if referral["status"] not in ALLOWED_IN[step]:
        raise Refused(409, CONFLICT_MESSAGES.get(referral["status"], "当前状态不允许此操作"))


def _may_take(caller: Principal, step: Step, referral: dict) -> bool:
    holds_it = caller.role in (Role.STATION, Role.COUNTY_CENTRE) and caller.scope == referral["assignee_code"]
    if step in ASSIGNEE_STEPS:
        return holds_it
    if step is Step.DECLINE:
        return holds_it and caller.role is Role.STATION
    if step is Step.REASSIGN:
        # The centre decides within its area; the hotline supervisors dispatch what nobody took.
        return caller.role is Role.COUNTY_CENTRE or (caller.role is Role.OPERATOR and referral["status"] == "unrouted")
    if step is Step.CHANGE_PRIORITY:
        return caller.role is Role.COUNTY_CENTRE
    return False
