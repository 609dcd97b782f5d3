"""The committee's figures for a place, as people read them: which kind of row a place is (a county's total, the
county centre's own referrals, a township), shares, and the area's summary from its counties' totals."""

from dataclasses import dataclass
from enum import StrEnum


class PlaceLevel(StrEnum):
    COUNTY = "county"  # the county's total
    CENTRE = "centre"  # held by the county centre itself (or waiting, known only to the county)
    TOWNSHIP = "township"


PLACE_LABELS = {PlaceLevel.COUNTY: "全县合计", PlaceLevel.CENTRE: "县未保中心（直接承办）"}


def level_of(county_total: bool, township: str | None) -> PlaceLevel:
    if county_total:
        return PlaceLevel.COUNTY
    return PlaceLevel.TOWNSHIP if township else PlaceLevel.CENTRE


def share(part: int, whole: int) -> float | None:
    """None while there is nothing to divide, rather than a misleading 0%."""
    return part / whole if whole else None


@dataclass(frozen=True)
class AreaSummary:
    open: int
    open_p1: int
    unrouted: int
    received: int
    acknowledged: int
    monitoring_fair: int
    monitoring_poor: int
    monitoring_dangerous: int
    in_guardianship: int

    @property
    def acknowledged_rate(self) -> float | None:
        return share(self.acknowledged, self.received)


def summarise(places: list[dict]) -> AreaSummary:
    """The area's totals: the sum of its counties' total rows (a township is in its county's total already)."""
    counties = [place for place in places if place["level"] is PlaceLevel.COUNTY]
    return AreaSummary(**{field: sum(place[field] for place in counties) for field in AreaSummary.__dataclass_fields__})
