"""Routing: which station or centre receives a report, from where the resolver placed the child. Pure rules.

A station serves one township (the first 9 digits of a code); a centre serves a county (the first 6).
Township with a station -> that station; township without one, or county only -> the county's centre;
ambiguous, unresolved or not covered -> the hotline supervisors' unrouted queue, with the candidates.
"""

from dataclasses import dataclass

from services.referral.resolver import Outcome, Place, Resolution
from shared.domain.codes import AssigneeKind


@dataclass(frozen=True)
class Station:
    code: str
    kind: AssigneeKind
    name: str


@dataclass(frozen=True)
class Routing:
    assignee: Station | None
    reason: str
    division_code: str | None = None  # the township or county the child was placed in
    candidates: tuple[Place, ...] = ()


def township_code(division_code: str) -> str:
    return division_code[:9]


def county_code(division_code: str) -> str:
    return division_code[:6]


def route(resolution: Resolution, stations: dict[str, Station]) -> Routing:
    """`stations` holds at least the place's station and its county's centre, when they exist."""
    place = resolution.place
    if resolution.outcome is Outcome.AMBIGUOUS:
        return Routing(None, "ambiguous_address", candidates=resolution.candidates)
    if place is None or resolution.outcome is Outcome.UNRESOLVED:
        return Routing(None, "unresolved_address")
    if resolution.outcome is Outcome.TOWNSHIP:
        station = stations.get(township_code(place.code))
        if station is not None and station.kind is AssigneeKind.STATION:
            return Routing(station, "township_station", place.code)
    centre = stations.get(county_code(place.code))
    if centre is not None and centre.kind is AssigneeKind.COUNTY_CENTRE:
        reason = "county_centre_no_station" if resolution.outcome is Outcome.TOWNSHIP else "county_only"
        return Routing(centre, reason, place.code)
    return Routing(None, "no_station_covers_division", place.code, candidates=(place,))
