"""Routing: which station or centre receives a report, from where the resolver placed the child. Pure rules.

A station serves one township; a centre serves a county.
Township with a station -> that station; township without one, or county only -> the county's centre;
ambiguous, unresolved or not covered -> the hotline supervisors' unrouted queue, with the candidates.
"""

from dataclasses import dataclass
from enum import StrEnum

from services.referral.domain.resolution import Outcome, Place, Resolution
from shared.domain.codes import AssigneeKind
from shared.domain.divisions import county_of, township_of


class RoutingReason(StrEnum):
    TOWNSHIP_STATION = "township_station"
    COUNTY_CENTRE_NO_STATION = "county_centre_no_station"
    COUNTY_ONLY = "county_only"
    AMBIGUOUS_ADDRESS = "ambiguous_address"
    UNRESOLVED_ADDRESS = "unresolved_address"
    NO_STATION_COVERS_DIVISION = "no_station_covers_division"


@dataclass(frozen=True)
class Station:
    code: str
    kind: AssigneeKind
    name: str


@dataclass(frozen=True)
class Routing:
    assignee: Station | None
    reason: RoutingReason
    division_code: str | None = None  # the township or county the child was placed in
    candidates: tuple[Place, ...] = ()

    @property
    def assignee_code(self) -> str | None:
        return self.assignee.code if self.assignee else None

    def candidate_list(self) -> list[dict[str, str]]:
        """The candidates as stored with the referral and announced to the hotline supervisors."""
        return [{"code": place.code, "path": place.path} for place in self.candidates]


def covering_codes(division_codes: list[str | None]) -> list[str]:
    """The codes of the stations and centres that may cover these divisions: their townships and counties."""
    wanted = {code for division in division_codes if division for code in (township_of(division), county_of(division))}
    return sorted(code for code in wanted if code)


def route(resolution: Resolution, stations: dict[str, Station]) -> Routing:
    """`stations` holds at least the place's station and its county's centre, when they exist."""
    place = resolution.place
    if resolution.outcome is Outcome.AMBIGUOUS:
        return Routing(None, RoutingReason.AMBIGUOUS_ADDRESS, candidates=resolution.candidates)
    if place is None or resolution.outcome is Outcome.UNRESOLVED:
        return Routing(None, RoutingReason.UNRESOLVED_ADDRESS)
    if resolution.outcome is Outcome.TOWNSHIP:
        station = stations.get(township_of(place.code) or "")
        if station is not None and station.kind is AssigneeKind.STATION:
            return Routing(station, RoutingReason.TOWNSHIP_STATION, place.code)
    centre = stations.get(county_of(place.code) or "")
    if centre is not None and centre.kind is AssigneeKind.COUNTY_CENTRE:
        if resolution.outcome is Outcome.TOWNSHIP:
            return Routing(centre, RoutingReason.COUNTY_CENTRE_NO_STATION, place.code)
        return Routing(centre, RoutingReason.COUNTY_ONLY, place.code)
    return Routing(None, RoutingReason.NO_STATION_COVERS_DIVISION, place.code, candidates=(place,))
