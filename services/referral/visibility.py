"""Who may see a referral. Anyone else is told it does not exist (404), not that it is forbidden."""

from collections.abc import Mapping
from typing import Any

from shared.auth.tokens import Principal, Role


def can_see(caller: Principal, referral: Mapping[str, Any]) -> bool:
    assignee = referral["assignee_code"] or ""
    match caller.role:
        case Role.OPERATOR | Role.ADMIN:
            return True
        case Role.STATION:
            return assignee == caller.scope
        case Role.COUNTY_CENTRE | Role.COMMITTEE:
            return caller.covers(assignee) or caller.covers(referral["division_code"])
    return False
