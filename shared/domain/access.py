"""Who a caller is (role and scope) and which cases and areas that lets them see.

A case the caller may not see is answered as not existing (404), not as forbidden.
"""

from collections.abc import Container
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from shared.domain.divisions import is_division_code


class Role(StrEnum):
    OPERATOR = "operator"  # 12345 hotline operators and the 12345 platform; scope: its hotline centre's area
    STATION = "station"  # scope: its 9-digit township code
    COUNTY_CENTRE = "county_centre"  # scope: its 6-digit county code
    COMMITTEE = "committee"  # scope: its area, a province, city or county code
    VILLAGE = "village"  # a village's child director (村(居)儿童主任); scope: its 12-digit village code
    ADMIN = "admin"  # scope: none


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    scope: str
    name: str = ""  # the person's display name, for the audit and the pages
    platform_client: str | None = None  # the 12345 platform client a machine token was issued to

    def covers(self, division_code: str | None) -> bool:
        """Whether a division lies inside this principal's area."""
        return bool(division_code) and division_code.startswith(self.scope)


def can_see_case(caller: Principal, assignee_code: str | None, division_code: str | None = None) -> bool:
    assignee = assignee_code or ""
    match caller.role:
        case Role.ADMIN:
            return True
        case Role.OPERATOR:  # its area's cases; one no station or centre holds is the whole hotline's to dispatch
            return caller.covers(assignee) or caller.covers(division_code) or not is_division_code(assignee)
        case Role.STATION:
            return assignee == caller.scope
        case Role.COUNTY_CENTRE | Role.COMMITTEE:
            return caller.covers(assignee) or caller.covers(division_code)
    return False


def in_operators_area(caller: Principal, division_code: str | None, hotline_area: str | None) -> bool:
    """An operator sees a report of its area: the child's division lies in it, or a hotline centre of it took the
    report (and follows it up, whatever its division, and while it has none)."""
    return caller.covers(division_code) or caller.covers(hotline_area)


def operators_area(caller: Principal) -> str | None:
    """The area an operator's lists of reports are limited to (as in_operators_area); None for the other roles,
    whose lists are limited by role."""
    return caller.scope if caller.role is Role.OPERATOR else None


def took_the_report(caller: Principal, hotline_area: str | None) -> bool:
    """Whether the caller is of the hotline centre that took a report: the one its reporter's identity goes to."""
    return caller.role is Role.OPERATOR and caller.covers(hotline_area)


def may_watch_area(caller: Principal, area: str) -> bool:
    """Whether the caller may ask for an area's figures or overdue list: a centre, committee or operator only
    inside its own scope; anyone else is limited by role, and by case, elsewhere."""
    if caller.role in (Role.COUNTY_CENTRE, Role.COMMITTEE, Role.OPERATOR):
        return area.startswith(caller.scope)
    return True


def sees_contacts(caller: Principal) -> bool:
    """Phones, e-mail addresses and webhook URLs of stations and centres (a webhook URL can carry an access
    token) go to administrators only."""
    return caller.role is Role.ADMIN


AREA_LENGTHS = (2, 4, 6)  # a province, a city, a county
VILLAGE_LENGTH = 12


class ScopeDirectory(Protocol):
    """What a service knows of the codes a scope may name, looked up in memory on every request."""

    def is_station(self, code: str) -> bool: ...

    def is_county(self, code: str) -> bool: ...

    def is_area(self, code: str) -> bool: ...

    def is_village(self, code: str) -> bool: ...


@dataclass(frozen=True)
class KnownScopes:
    """A ScopeDirectory on two sets: the stations' codes, and the provinces', cities' and counties' codes (any
    container holding them; codes of other lengths in it are never taken for areas)."""

    stations: Container[str] = frozenset()
    areas: Container[str] = frozenset()
    villages: Container[str] = frozenset()  # where a child director serves; a service that has none refuses them

    def is_station(self, code: str) -> bool:
        return code in self.stations

    def is_county(self, code: str) -> bool:
        return len(code) == AREA_LENGTHS[-1] and code in self.areas

    def is_area(self, code: str) -> bool:
        return len(code) in AREA_LENGTHS and code in self.areas

    def is_village(self, code: str) -> bool:
        return len(code) == VILLAGE_LENGTH and code in self.villages


def scope_fits(principal: Principal, directory: ScopeDirectory) -> bool:
    """Whether the scope is one the role may hold, and names what the directory has: a station its own code, a
    centre an existing county, a village's child director a village with a director, a committee or an operator
    (a hotline centre, or the 12345 platform) an existing province, city or county, an administrator nothing."""
    scope = principal.scope
    match principal.role:
        case Role.ADMIN:
            return scope == ""
        case Role.STATION:
            return bool(scope) and directory.is_station(scope)
        case Role.COUNTY_CENTRE:
            return bool(scope) and directory.is_county(scope)
        case Role.COMMITTEE | Role.OPERATOR:
            return bool(scope) and directory.is_area(scope)
        case Role.VILLAGE:
            return bool(scope) and directory.is_village(scope)
    return False
