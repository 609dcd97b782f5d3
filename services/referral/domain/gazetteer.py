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

from services.referral.domain.generic_names import is_generic
from services.referral.domain.village_heads import TownshipsByVillageHead
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
SHORTEST_VILLAGE_FORM = 3  # shorter ones (东村, 张庄) count only under a named county or township
SHORTEST_NAME = 2

_NOT_ADDRESS_TEXT = re.compile(r"[\s\W_]+")


def normalise(text: str) -> str:
    """Full-width forms folded, spaces and punctuation dropped: `山西省 晋中市，昔阳县` -> `山西省晋中市昔阳县`."""
    return _NOT_ADDRESS_TEXT.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str
    level: DivisionLevel


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    target_code: str
    kind: str  # renamed, merged or development_zone


@dataclass(frozen=True, slots=True)
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
        self.generic_forms: set[str] = set()
        # Parents first, so that each township finds its ancestors already known.
        for division in sorted(divisions, key=lambda d: len(d.code)):
            self.by_code[division.code] = division
            forms = _written_forms(division)
            for form, via in forms:
                names[form].append(NameHit(division.code, via))
            if is_generic(division.level, normalise(division.name)):
                self.generic_forms.update(form for form, _ in forms)
            if division.level == DivisionLevel.TOWNSHIP:
                for ancestor in self._lineage(division.code)[:-1]:
                    self._townships_under[ancestor].append(division.code)
        for alias in aliases:
            if alias.target_code in self.by_code:
                names[normalise(alias.name)].append(NameHit(alias.target_code, "alias"))
        self.names: dict[str, tuple[NameHit, ...]] = {form: tuple(hits) for form, hits in names.items()}
        self.longest_name = max(map(len, self.names), default=0)
        # One joined string per township keeps 620,000 village names in a few megabytes.
        self._villages: dict[str, str] = {}
        # Villages whose name begins with a division's (新华社区, 永兴村): there the name is the village's.
        self.village_heads: dict[str, set[str]] = defaultdict(set)
        self._short_villages: dict[str, str] = {}
        self._by_head = TownshipsByVillageHead(list(villages or {}))
        for index, code in enumerate(self._by_head.townships):
            forms = _village_forms(villages[code])  # type: ignore[index]
            self._villages[code] = "|".join(form for form in forms if len(form) >= SHORTEST_VILLAGE_FORM)
            if short := "|".join(form for form in forms if len(form) < SHORTEST_VILLAGE_FORM):
                self._short_villages[code] = short
            self._by_head.add(index, forms)
            for village in forms:
                for cut in range(SHORTEST_NAME, min(len(village), self.longest_name + 1)):
                    if village[:cut] in self.names:
                        self.village_heads[village[:cut]].add(village)
        self._by_head.freeze()

    def __len__(self) -> int:
        return len(self.by_code)

    def ancestors(self, code: str) -> tuple[str, ...]:
        """The division's known ancestors and itself (down to a township), province first."""
        known = self._lineages.get(code)
        if known is not None:
            return known
        known = self._lineage(code)
        if code in self.by_code:  # the resolver asks again and again for the same few thousand
            self._lineages[code] = known
        return known

    def _lineage(self, code: str) -> tuple[str, ...]:
        division = DivisionCode(code)
        lineage = (division.province, division.city, division.county, division.township)
        return tuple(ancestor for ancestor in lineage if ancestor in self.by_code)

    def path(self, code: str) -> tuple[Division, ...]:
        return tuple(self.by_code[ancestor] for ancestor in self.ancestors(code))

    def townships_under(self, code: str) -> list[str]:
        return self._townships_under.get(code, [])

    def villages_of(self, township_code: str, short_too: bool = False) -> list[str]:
        joined = self._villages.get(township_code)
        villages = joined.split("|") if joined else []
        short = self._short_villages.get(township_code) if short_too else None
        return villages + short.split("|") if short else villages

    def townships_with_villages_begun_in(self, text: str, area: str) -> set[str]:
        """The townships in the area with a village whose name begins somewhere in the text: the few whose
        villages are worth looking for."""
        return self._by_head.begun_in(text, area)

    def holds_its_county(self, township_code: str) -> bool:
        """Whether a township's name holds its county's name (晋中开发区 style zones, 密云镇 of 密云区)."""
        county = self.county_of(township_code)
        if county is None:
            return False
        township = normalise(self.by_code[township_code].name)
        return any(form in township and form != township for form, _ in _written_forms(self.by_code[county]))

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
        if len(name) >= SHORTEST_NAME and "|" not in name:
            forms.append(name)
    return forms
