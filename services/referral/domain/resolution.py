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


class MatchedBy(StrEnum):
    DIVISION_CODE = "division_code"
    NAMES = "names"  # the place's name under an area the text names
    ALIAS = "alias"
    VILLAGE = "village"  # a village's name inside the area the text names
    COUNTY_CONTEXT = "county_context"
    # A township and one of its villages whose pair is found once in the whole country, or a township whose
    # name holds its county's and is found once: evidence enough with no area named.
    UNIQUE_TOWNSHIP_AND_VILLAGE = "unique_township_and_village"

    @property
    def label(self) -> str:
        """In the words the hotline supervisors and operators read."""
        return _MATCHED_BY_LABELS[self]


class Weight(StrEnum):
    """What a name in the text counted for."""

    NAME = "name"
    SHORT_NAME = "short_name"
    ALIAS = "alias"
    VILLAGE = "village"
    COUNTY_CONTEXT = "county_context"
    DIVISION_CODE = "division_code"
    OUTSIDE_NAMED_AREA = "outside_named_area"  # a generic word (城区) naming no place inside the text's areas
    NOT_SUPPORTED = "not_supported"  # a name that agrees with nothing else in the text

    @property
    def label(self) -> str:
        return _WEIGHT_LABELS[self]


_MATCHED_BY_LABELS = {
    MatchedBy.DIVISION_CODE: "按区划代码",
    MatchedBy.NAMES: "按地名匹配（省市县名限定）",
    MatchedBy.ALIAS: "按别名或旧名匹配",
    MatchedBy.VILLAGE: "按村名匹配（县乡名限定）",
    MatchedBy.COUNTY_CONTEXT: "按来电所在县",
    MatchedBy.UNIQUE_TOWNSHIP_AND_VILLAGE: "按乡镇+村唯一匹配",
}
_WEIGHT_LABELS = {
    Weight.NAME: "地名",
    Weight.SHORT_NAME: "简称",
    Weight.ALIAS: "别名或旧名",
    Weight.VILLAGE: "村名",
    Weight.COUNTY_CONTEXT: "来电所在县",
    Weight.DIVISION_CODE: "区划代码",
    Weight.OUTSIDE_NAMED_AREA: "通用词，所述地区内无此地，不计",
    Weight.NOT_SUPPORTED: "与其他地名不符，不计",
}


@dataclass(frozen=True)
class Weighed:
    text: str  # the words as read in the address (or the code given)
    weight: Weight
    codes: tuple[str, ...] = ()  # the divisions they name


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
    matched_by: MatchedBy | None = None
    candidates: tuple[Place, ...] = ()
    reason: str | None = None  # why it is ambiguous or unresolved
    weighed: tuple[Weighed, ...] = ()  # what the text said and what each part counted for


def place_in(gazetteer: Gazetteer, code: str) -> Place:
    """A known division as a place, named from its province down (placeholders and repeats left out)."""
    names: list[str] = []
    for division in gazetteer.path(code):
        if division.name not in PLACEHOLDER_NAMES and division.name not in names[-1:]:
            names.append(division.name)
    return Place(code=code, level=gazetteer.by_code[code].level, names=tuple(names))
