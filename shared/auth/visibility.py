"""Who may see a case (a referral and what hangs off it, such as its deadlines).

Anyone else is told it does not exist (404), not that it is forbidden.
"""

from shared.auth.tokens import Principal, Role


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
