"""Resolving where a child is: (address text, division code, county context) -> a township, a county,
an ambiguity with its candidates, or nothing. Pure; never guesses.

How an address is read:
- Every known name is looked for in the text; where two matches overlap, the longer wins
  (城关镇 is not 城关区).
- Each division found is scored by how many matches agree with it (the match itself or one of its
  ancestors). The best-scored divisions win, the deepest of a line; a tie is an ambiguity.
- A township counts only under a province, city or county the text (or the county context) names;
  alone it yields candidates, not a pick. An abbreviated name (晋中, 昔阳) alone is not evidence enough.
- Village names settle a tie between townships, or find the township inside a named county
  (昔阳县洪水村 -> 大寨镇).
"""

from dataclasses import dataclass, field

from services.referral.domain.gazetteer import Gazetteer, NameHit, normalise
from services.referral.domain.resolution import Outcome, Resolution, place_in
from shared.domain.divisions import DivisionCode, DivisionLevel, county_of, township_of

LONGEST_ADDRESS = 200
MOST_CANDIDATES = 20
MOST_TOWNSHIPS_SEARCHED_FOR_VILLAGES = 250


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    hits: tuple[NameHit, ...]
    codes: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "codes", frozenset(hit.code for hit in self.hits))

    @property
    def abbreviated(self) -> bool:
        return all(hit.via == "short_name" for hit in self.hits)


def resolve(
    gazetteer: Gazetteer,
    address: str | None,
    division_code: str | None = None,
    county_context: str | None = None,
) -> Resolution:
    given = _from_division_code(gazetteer, division_code)
    if given is not None:
        return given
    county = county_of(division_code)
    if county and gazetteer.county_of(county) and not county_context:
        county_context = county
    context = county_context if county_context and gazetteer.county_of(county_context) == county_context else None
    text = normalise(address or "")[:LONGEST_ADDRESS]
    matches = _matches(gazetteer, text)
    if context:
        matches.append(_Match(-1, -1, (NameHit(context, "county_context"),)))
    if not matches:
        return Resolution(Outcome.UNRESOLVED, reason="no_known_name" if text else "no_address")
    best, unsupported = _best_divisions(gazetteer, matches)
    masked = _mask(gazetteer, text, matches, best or unsupported)
    if not best and not unsupported:
        return Resolution(Outcome.UNRESOLVED, reason="abbreviations_only")
    if not best:
        return _settle_townships(gazetteer, unsupported, masked, reason="no_area_named")
    if all(gazetteer.by_code[code].level == DivisionLevel.TOWNSHIP for code in best):
        if len(best) == 1:
            return Resolution(Outcome.TOWNSHIP, place_in(gazetteer, best[0]), _how_matched(best[0], matches))
        return _settle_townships(gazetteer, best, masked, reason="same_name_in_several_areas")
    if len(best) > 1:
        return _ambiguous(gazetteer, best, "same_name_in_several_areas")
    named = any(match.start >= 0 and not match.codes.isdisjoint(gazetteer.ancestors(best[0])) for match in matches)
    return _inside_area(gazetteer, best[0], masked, matched_by="names" if named else "county_context")


def _from_division_code(gazetteer: Gazetteer, code: str | None) -> Resolution | None:
    if not code:
        return None
    township = township_of(code)  # None above a township
    known = gazetteer.by_code.get(township) if township else None
    if known is not None and known.level == DivisionLevel.TOWNSHIP:
        return Resolution(Outcome.TOWNSHIP, place_in(gazetteer, township), "division_code")
    if gazetteer.county_of(code) == code:
        return Resolution(Outcome.COUNTY, place_in(gazetteer, code), "division_code")
    return None


def _matches(gazetteer: Gazetteer, text: str) -> list[_Match]:
    """The longest name starting at each position, then the longest of any overlapping ones."""
    found = []
    for start in range(len(text)):
        for end in range(min(len(text), start + gazetteer.longest_name), start + 1, -1):
            hits = gazetteer.names.get(text[start:end])
            if hits:
                found.append(_Match(start, end, hits))
                break
    kept: list[_Match] = []
    for match in sorted(found, key=lambda m: (m.start - m.end, m.start)):
        if all(match.end <= other.start or match.start >= other.end for other in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)


def _best_divisions(gazetteer: Gazetteer, matches: list[_Match]) -> tuple[list[str], list[str]]:
    """The best-scored divisions the text supports, and the townships it names with no area around them."""
    scores: dict[str, int] = {}
    unsupported = []
    for code in {code for match in matches for code in match.codes}:
        lineage = gazetteer.ancestors(code)
        agreeing = [match for match in matches if not match.codes.isdisjoint(lineage)]
        if gazetteer.by_code[code].level == DivisionLevel.TOWNSHIP:
            areas = set(lineage[:-1])
            if not any(not match.codes.isdisjoint(areas) for match in agreeing):
                unsupported.append(code)
                continue
        if len(agreeing) == 1 and agreeing[0].abbreviated:
            continue
        scores[code] = len(agreeing)
    if not scores:
        return [], sorted(unsupported)
    top = max(scores.values())
    best = [code for code, score in scores.items() if score == top]
    deepest = [code for code in best if not any(other != code and other.startswith(code) for other in best)]
    return sorted(deepest), sorted(unsupported)


def _inside_area(gazetteer: Gazetteer, code: str, masked: str, matched_by: str) -> Resolution:
    """A county (or a city, or a province) is named but no township: the villages may tell which."""
    townships = gazetteer.townships_under(code)
    if len(townships) <= MOST_TOWNSHIPS_SEARCHED_FOR_VILLAGES:
        with_village = _townships_with_a_village_in(gazetteer, townships, masked)
        if len(with_village) == 1:
            return Resolution(Outcome.TOWNSHIP, place_in(gazetteer, with_village[0]), "village")
        if with_village:
            return _ambiguous(gazetteer, with_village, "village_in_several_townships")
    county = gazetteer.county_of(code) or _sole_county(gazetteer, code)
    if county is not None:
        return Resolution(Outcome.COUNTY, place_in(gazetteer, county), matched_by)
    level = gazetteer.by_code[code].level
    return Resolution(Outcome.UNRESOLVED, place_in(gazetteer, code), matched_by, reason=f"only_{level}")


def _sole_county(gazetteer: Gazetteer, city_code: str) -> str | None:
    """A city without counties (中山市 4420) has one county-level body (442000) holding its townships."""
    counties = {county_of(township) for township in gazetteer.townships_under(city_code)}
    is_city = DivisionCode(city_code).level is DivisionLevel.CITY
    return counties.pop() if is_city and len(counties) == 1 else None


def _settle_townships(gazetteer: Gazetteer, townships: list[str], masked: str, reason: str) -> Resolution:
    with_village = _townships_with_a_village_in(gazetteer, townships, masked)
    if len(with_village) == 1 and reason != "no_area_named":
        return Resolution(Outcome.TOWNSHIP, place_in(gazetteer, with_village[0]), "village")
    return _ambiguous(gazetteer, with_village or townships, reason)


def _townships_with_a_village_in(gazetteer: Gazetteer, townships: list[str], masked: str) -> list[str]:
    """Townships one of whose villages the text names; a village name inside a longer one does not count."""
    found: list[tuple[int, int, str]] = []
    for township in townships:
        for village in gazetteer.villages_of(township):
            start = masked.find(village)
            if start >= 0:
                found.append((start, start + len(village), township))
    longest = [
        (start, end, township)
        for start, end, township in found
        if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in found)
    ]
    return sorted({township for _, _, township in longest})


def _mask(gazetteer: Gazetteer, text: str, matches: list[_Match], chosen: list[str]) -> str:
    """The text with the names that led to the chosen divisions blanked out, so that village names are
    looked for in the rest (an unrelated name may be part of a village's: 桥西 in 桥西社区)."""
    lineages = {ancestor for code in chosen for ancestor in gazetteer.ancestors(code)}
    characters = list(text)
    for match in matches:
        if match.codes.isdisjoint(lineages):
            continue
        for position in range(max(match.start, 0), max(match.end, 0)):
            characters[position] = "\0"
    return "".join(characters)


def _how_matched(code: str, matches: list[_Match]) -> str:
    for match in matches:
        for hit in match.hits:
            if hit.code == code:
                return "alias" if hit.via == "alias" else "names"
    return "names"


def _ambiguous(gazetteer: Gazetteer, codes: list[str], reason: str) -> Resolution:
    candidates = tuple(place_in(gazetteer, code) for code in sorted(codes)[:MOST_CANDIDATES])
    return Resolution(Outcome.AMBIGUOUS, candidates=candidates, reason=reason)
