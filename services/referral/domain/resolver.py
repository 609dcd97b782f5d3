"""Resolving where a child is: (address text, division code, county context) -> a township, a county,
an ambiguity with its candidates, or nothing. Pure; never guesses. Each result says how it matched and
what each name in the text counted for.

How an address is read (the names found as in name_matching, bounded by the text's own places):
- Each division found is scored by how many matches agree with it (the match itself or one of its
  ancestors). The best-scored divisions win, the deepest of a line; a tie is an ambiguity.
- A township counts only under a province, city or county the text (or the county context) names;
  alone it yields candidates, not a pick. An abbreviated name (晋中, 昔阳) alone is not evidence enough.
- Village names settle a tie between townships, or find the township inside a named area
  (昔阳县洪水村 -> 大寨镇); two-character ones (东村) only under a named county or township.
- With no area named, a township and village pair found once in the whole country resolves (讷南镇平房村),
  and so does a township found once whose name holds its county's (密云镇, 大兴经济开发区).
"""

from dataclasses import replace

from services.referral.domain.gazetteer import Gazetteer, NameHit, normalise
from services.referral.domain.name_matching import Match, bounded, masked, matches_in
from services.referral.domain.resolution import MatchedBy, Outcome, Resolution, Weighed, Weight, place_in
from services.referral.domain.village_search import VillageHit, townships_of, villages_named
from services.referral.domain.weighing import weighed
from shared.domain.divisions import DivisionCode, DivisionLevel, county_of, township_of

LONGEST_ADDRESS = 200
MOST_CANDIDATES = 20
MOST_TOWNSHIPS_SEARCHED_FOR_VILLAGES = 250


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
    found = matches_in(gazetteer, text)
    if context:
        found.append(Match(-1, -1, (NameHit(context, "county_context"),)))
    matches, outside = bounded(gazetteer, found)
    if matches:
        resolution = _read(gazetteer, text, matches)
    else:
        resolution = Resolution(Outcome.UNRESOLVED, reason="no_known_name" if text else "no_address")
    return replace(resolution, weighed=weighed(gazetteer, text, matches, outside, resolution))


def _read(gazetteer: Gazetteer, text: str, matches: list[Match]) -> Resolution:
    best, unsupported = _best_divisions(gazetteer, matches)
    rest = masked(gazetteer, text, matches, best or unsupported)
    if not best and not unsupported:
        return Resolution(Outcome.UNRESOLVED, reason="abbreviations_only")
    if not best:
        return _with_no_area_named(gazetteer, unsupported, rest)
    if all(gazetteer.by_code[code].level == DivisionLevel.TOWNSHIP for code in best):
        if len(best) == 1:
            return Resolution(Outcome.TOWNSHIP, place_in(gazetteer, best[0]), _how_matched(best[0], matches))
        hits = villages_named(gazetteer, best, rest, short_too=True)
        return _by_village(gazetteer, hits, MatchedBy.VILLAGE) or _ambiguous(
            gazetteer, best, "same_name_in_several_areas"
        )
    if len(best) > 1:
        return _ambiguous(gazetteer, best, "same_name_in_several_areas")
    named = any(match.start >= 0 and not match.codes.isdisjoint(gazetteer.ancestors(best[0])) for match in matches)
    return _inside_area(gazetteer, best[0], rest, MatchedBy.NAMES if named else MatchedBy.COUNTY_CONTEXT)


def _from_division_code(gazetteer: Gazetteer, code: str | None) -> Resolution | None:
    if not code:
        return None
    township = township_of(code)  # None above a township
    known = gazetteer.by_code.get(township) if township else None
    given = (Weighed(code, Weight.DIVISION_CODE, (code,)),)
    if known is not None and known.level == DivisionLevel.TOWNSHIP:
        return Resolution(Outcome.TOWNSHIP, place_in(gazetteer, township), MatchedBy.DIVISION_CODE, weighed=given)
    if gazetteer.county_of(code) == code:
        return Resolution(Outcome.COUNTY, place_in(gazetteer, code), MatchedBy.DIVISION_CODE, weighed=given)
    return None


def _best_divisions(gazetteer: Gazetteer, matches: list[Match]) -> tuple[list[str], list[str]]:
    """The best-scored divisions the text supports, and the townships it names with no area around them."""
    scores: dict[str, int] = {}
    unsupported = []
    bounds = _named_areas(gazetteer, matches)
    for code in {code for match in matches for code in match.codes}:
        lineage = gazetteer.ancestors(code)
        if not all(len(next(iter(codes))) > len(code) or not codes.isdisjoint(lineage) for codes in bounds):
            continue  # outside a province, city or county the text names
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


def _named_areas(gazetteer: Gazetteer, matches: list[Match]) -> list[set[str]]:
    """The provinces, cities and counties the text names in full, by level (a generic word names none)."""
    named: dict[DivisionLevel, set[str]] = {}
    for match in matches:
        for hit in match.hits if match.start >= 0 and not match.generic else ():
            level = gazetteer.by_code[hit.code].level
            if hit.via != "short_name" and level != DivisionLevel.TOWNSHIP:
                named.setdefault(level, set()).add(hit.code)
    return list(named.values())


def _with_no_area_named(gazetteer: Gazetteer, townships: list[str], rest: str) -> Resolution:
    """Townships named with no area around them: a pair with one of their villages found once nationally,
    or a township found once whose name holds its county's, is evidence; anything else gives candidates."""
    hits = villages_named(gazetteer, townships, rest, short_too=True)
    unique = _by_village(gazetteer, hits, MatchedBy.UNIQUE_TOWNSHIP_AND_VILLAGE)
    if unique is not None:
        return unique
    if len(townships) == 1 and not hits and gazetteer.holds_its_county(townships[0]):
        return Resolution(Outcome.TOWNSHIP, place_in(gazetteer, townships[0]), MatchedBy.UNIQUE_TOWNSHIP_AND_VILLAGE)
    return _ambiguous(gazetteer, townships_of(hits) or townships, "no_area_named")


def _inside_area(gazetteer: Gazetteer, code: str, rest: str, matched_by: MatchedBy) -> Resolution:
    """A county (or a city, or a province) is named but no township: the villages may tell which."""
    townships = gazetteer.townships_under(code)
    if len(townships) <= MOST_TOWNSHIPS_SEARCHED_FOR_VILLAGES:
        short_too = gazetteer.by_code[code].level == DivisionLevel.COUNTY
        hits = villages_named(gazetteer, townships, rest, short_too)
        if hits:
            found = _by_village(gazetteer, hits, MatchedBy.VILLAGE)
            return found or _ambiguous(gazetteer, townships_of(hits), "village_in_several_townships")
    county = gazetteer.county_of(code) or _sole_county(gazetteer, code)
    if county is not None:
        return Resolution(Outcome.COUNTY, place_in(gazetteer, county), matched_by)
    level = gazetteer.by_code[code].level
    return Resolution(Outcome.UNRESOLVED, place_in(gazetteer, code), matched_by, reason=f"only_{level}")


def _by_village(gazetteer: Gazetteer, hits: list[VillageHit], matched_by: MatchedBy) -> Resolution | None:
    """The township, when the villages named are all of one."""
    townships = townships_of(hits)
    if len(townships) != 1:
        return None
    weighed = tuple(Weighed(hit.village, Weight.VILLAGE, (hit.township,)) for hit in hits)
    return Resolution(Outcome.TOWNSHIP, place_in(gazetteer, townships[0]), matched_by, weighed=weighed)


def _sole_county(gazetteer: Gazetteer, city_code: str) -> str | None:
    """A city without counties (中山市 4420) has one county-level body (442000) holding its townships."""
    counties = {county_of(township) for township in gazetteer.townships_under(city_code)}
    is_city = DivisionCode(city_code).level is DivisionLevel.CITY
    return counties.pop() if is_city and len(counties) == 1 else None


def _how_matched(code: str, matches: list[Match]) -> MatchedBy:
    for match in matches:
        for hit in match.hits:
            if hit.code == code:
                return MatchedBy.ALIAS if hit.via == "alias" else MatchedBy.NAMES
    return MatchedBy.NAMES


def _ambiguous(gazetteer: Gazetteer, codes: list[str], reason: str) -> Resolution:
    candidates = tuple(place_in(gazetteer, code) for code in sorted(codes)[:MOST_CANDIDATES])
    return Resolution(Outcome.AMBIGUOUS, candidates=candidates, reason=reason)
