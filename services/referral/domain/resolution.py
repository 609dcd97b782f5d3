"""What the resolver says of where a child is: a township, a county, an ambiguity with its candidates,
or nothing."""

from dataclasses import dataclass
from enum import StrEnum

from services.referral.domain.gazetteer import PLACEHOLDER_NAMES, Gazetteer
from shared.domain.divisions import DivisionLevel


class Outcome(StrEnum):
    TOWNSHIP = "township"
    COUNTY = "county"
    AMBIGUOUS = "ambiguous"
    UNRESOLVED = "unresolved"


@dataclass(frozen=True)
class Place:
    code: str
    level: DivisionLevel
    names: tuple[str, ...]  # province first, down to this place

    @property
    def path(self) -> str:
        return " / ".join(self.names)


@dataclass(frozen=True)
class Resolution:
    outcome: Outcome
    place: Place | None = None
    matched_by: str | None = None  # division_code, names, alias, village or county_context
    candidates: tuple[Place, ...] = ()
    reason: str | None = None  # why it is ambiguous or unresolved


def place_in(gazetteer: Gazetteer, code: str) -> Place:
    """A known division as a place, named from its province down (placeholders and repeats left out)."""
    names: list[str] = []
    for division in gazetteer.path(code):
        if division.name not in PLACEHOLDER_NAMES and division.name not in names[-1:]:
            names.append(division.name)
    return Place(code=code, level=gazetteer.by_code[code].level, names=tuple(names))
