"""The national division gazetteer in memory: divisions by code, the forms each name is written in,
the villages of each township, and aliases for townships renamed or merged since the data's edition.

Codes nest by prefix (province 2 digits, city 4, county 6, township 9), so a division's ancestors are
read off its code (shared.domain.divisions), with no parent walk.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shared.domain.divisions import DivisionCode, DivisionLevel, county_of

# Names that stand for "the city's districts" or "directly administered counties", not for a place.
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

SHORT_FORM_SUFFIXES = {
    DivisionLevel.PROVINCE: ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"),
    DivisionLevel.CITY: ("地区", "市", "盟"),
    DivisionLevel.COUNTY: ("县", "区", "市", "旗"),
}
NOT_SHORTENED = ("自治州", "自治县", "自治旗")  # the short form would need the ethnic name cut out too

# Village committees are written as their village or community: 洪水村村委会 -> 洪水村.
VILLAGE_SUFFIXES = (
    ("村民委员会", "村"),
    ("村民委会", "村"),
    ("村委会", "村"),
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
    ("委员会", ""),
)
SHORTEST_VILLAGE_FORM = 3

_NOT_ADDRESS_TEXT = re.compile(r"[\s\W_]+")


def normalise(text: str) -> str:
    """Full-width forms folded, spaces and punctuation dropped: `山西省 晋中市，昔阳县` -> `山西省晋中市昔阳县`."""
    return _NOT_ADDRESS_TEXT.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: DivisionLevel


@dataclass(frozen=True)
class Alias:
    name: str
    target_code: str
    kind: str  # renamed, merged or development_zone


@dataclass(frozen=True)
class NameHit:
    code: str
    via: str  # name, short_name or alias


class Gazetteer:
    def __init__(
        self,
        divisions: Iterable[Division],
        villages: Mapping[str, Iterable[str]] | None = None,
        aliases: Iterable[Alias] = (),
    ) -> None:
        self.by_code: dict[str, Division] = {}
        self._lineages: dict[str, tuple[str, ...]] = {}
        self._townships_under: dict[str, list[str]] = defaultdict(list)
        names: dict[str, list[NameHit]] = defaultdict(list)
        # Parents first, so that each township finds its ancestors already known.
        for division in sorted(divisions, key=lambda d: len(d.code)):
            self.by_code[division.code] = division
            for form, via in _written_forms(division):
                names[form].append(NameHit(division.code, via))
            if division.level == DivisionLevel.TOWNSHIP:
                for ancestor in self.ancestors(division.code)[:-1]:
                    self._townships_under[ancestor].append(division.code)
        for alias in aliases:
            if alias.target_code in self.by_code:
                names[normalise(alias.name)].append(NameHit(alias.target_code, "alias"))
        self.names: dict[str, tuple[NameHit, ...]] = {form: tuple(hits) for form, hits in names.items()}
        self.longest_name = max(map(len, self.names), default=0)
        # One joined string per township keeps 620,000 village names in a few megabytes.
        self._villages = {code: "|".join(_village_forms(raw)) for code, raw in (villages or {}).items()}

    def __len__(self) -> int:
        return len(self.by_code)

    def ancestors(self, code: str) -> tuple[str, ...]:
        """The division's known ancestors and itself (down to a township), province first."""
        known = self._lineages.get(code)
        if known is not None:
            return known
        division = DivisionCode(code)
        lineage = (division.province, division.city, division.county, division.township)
        known = tuple(ancestor for ancestor in lineage if ancestor in self.by_code)
        if code in self.by_code:  # the resolver asks again and again for the same few thousand
            self._lineages[code] = known
        return known

    def path(self, code: str) -> tuple[Division, ...]:
        return tuple(self.by_code[ancestor] for ancestor in self.ancestors(code))

    def townships_under(self, code: str) -> list[str]:
        return self._townships_under.get(code, [])

    def villages_of(self, township_code: str) -> list[str]:
        joined = self._villages.get(township_code)
        return joined.split("|") if joined else []

    def county_of(self, code: str) -> str | None:
        """The county (or the county-level body of a city without counties) a township or county lies in."""
        county = county_of(code)
        return county if county in self.by_code and self.by_code[county].level == DivisionLevel.COUNTY else None


def _written_forms(division: Division) -> list[tuple[str, str]]:
    name = normalise(division.name)
    if not name or name in PLACEHOLDER_NAMES:
        return []
    forms = [(name, "name")]
    if division.level == DivisionLevel.TOWNSHIP and name.endswith("街道"):
        forms += [(name + "办事处", "name"), (name + "办", "name")]
    if division.level in SHORT_FORM_SUFFIXES and not name.endswith(NOT_SHORTENED):
        for suffix in SHORT_FORM_SUFFIXES[division.level]:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                forms.append((name[: -len(suffix)], "short_name"))
                break
    return forms


def _village_forms(names: Iterable[str]) -> list[str]:
    forms = []
    for raw in names:
        name = normalise(raw)
        for suffix, replacement in VILLAGE_SUFFIXES:
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                if not name.endswith(replacement):
                    name += replacement
                break
        if len(name) >= SHORTEST_VILLAGE_FORM and "|" not in name:
            forms.append(name)
    return forms
