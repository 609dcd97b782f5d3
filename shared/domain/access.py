"""Who a caller is (role and scope) and which cases and areas that lets them see.

A case the caller may not see is answered as not existing (404), not as forbidden.
"""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    OPERATOR = "operator"  # 12345 hotline operators and the 12345 platform
    STATION = "station"  # scope: its 9-digit township code
    COUNTY_CENTRE = "county_centre"  # scope: its 6-digit county code
    COMMITTEE = "committee"  # scope: the code prefix of its area
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    scope: str

    def covers(self, division_code: str | None) -> bool:
        """Whether a division lies inside this principal's area."""
        return bool(division_code) and division_code.startswith(self.scope)


def can_see_case(caller: Principal, assignee_code: str | None, division_code: str | None = None) -> bool:
    assignee = assignee_code or ""
    match caller.role:
        case Role.OPERATOR | Role.ADMIN:
            return True
        case Role.STATION:
            return assignee == caller.scope
        case Role.COUNTY_CENTRE | Role.COMMITTEE:
            return caller.covers(assignee) or caller.covers(division_code)
    return False


def may_watch_area(caller: Principal, area: str) -> bool:
    """Whether the caller may ask for an area's figures or overdue list: a centre or committee only inside
    its own scope; anyone else is limited by role, and by case, elsewhere."""
    if caller.role in (Role.COUNTY_CENTRE, Role.COMMITTEE):
        return area.startswith(caller.scope)
    return True
