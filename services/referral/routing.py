"""Routing: which station or centre receives a report, from its division code. Pure rules.

A station serves one township (the first 9 digits of a code); a centre serves a county (the first 6).
Township with a station -> that station; else the county's centre; else the unrouted queue.
"""

from dataclasses import dataclass

from shared.codes import AssigneeKind


@dataclass(frozen=True)
class Station:
    code: str
    kind: AssigneeKind
    name: str


@dataclass(frozen=True)
class Routing:
    assignee: Station | None
    reason: str


def township_code(division_code: str) -> str:
    return division_code[:9]


def county_code(division_code: str) -> str:
    return division_code[:6]


def route(division_code: str | None, stations: dict[str, Station]) -> Routing:
    """`stations` holds at least the township's station and the county's centre, when they exist."""
    if not division_code:
        return Routing(None, "no_division_code")
    station = stations.get(township_code(division_code))
    if station is not None and station.kind is AssigneeKind.STATION:
        return Routing(station, "township_station")
    centre = stations.get(county_code(division_code))
    if centre is not None and centre.kind is AssigneeKind.COUNTY_CENTRE:
        return Routing(centre, "county_centre_no_station")
    return Routing(None, "no_station_covers_division")
