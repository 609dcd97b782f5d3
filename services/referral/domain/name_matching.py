"""The known names an address holds, and the bound the text's own places put on them.

Every known name is looked for in the text; where two matches overlap, the longer wins (城关镇 is not
城关区), and a name that begins a village's name in the text is the village's (永兴村 is no 永兴县).
A generic word (城区, 老城区, 开发区) keeps only the places it names inside another place the text (or the
county context) names: 寿阳县城区 is 寿阳县's town, not 阳泉's 城区 district.
"""

from dataclasses import dataclass, field

from services.referral.domain.gazetteer import Gazetteer, NameHit
from services.referral.domain.village_search import READ_NAME


@dataclass(frozen=True)
class Match:
    start: int  # -1 for the county context, which the text does not hold
    end: int
    hits: tuple[NameHit, ...]
    generic: bool = False
    codes: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "codes", frozenset(hit.code for hit in self.hits))

    @property
    def abbreviated(self) -> bool:
        return all(hit.via == "short_name" for hit in self.hits)


def matches_in(gazetteer: Gazetteer, text: str) -> list[Match]:
    """The longest name starting at each position, then the longest of any overlapping ones."""
    found = []
    village_ends = 0  # names inside a village's name are the village's too
    for start in range(len(text)):
        for end in range(min(len(text), start + gazetteer.longest_name), start + 1, -1):
            hits = gazetteer.names.get(text[start:end])
            if hits:
                village_ends = max(village_ends, start + _village_begun(gazetteer, text, start, end))
                if start >= village_ends:
                    found.append(Match(start, end, hits, text[start:end] in gazetteer.generic_forms))
                break
    # Generic words take what the other names leave: 宁陵县开发区 is 宁陵县 and 开发区, not 宁陵 and 县开发区.
    kept: list[Match] = []
    for match in sorted(found, key=lambda m: (m.generic, m.start - m.end, m.start)):
        if all(match.end <= other.start or match.start >= other.end for other in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)


def _village_begun(gazetteer: Gazetteer, text: str, start: int, end: int) -> int:
    """The length of the longest village name the name at `start` begins in the text; 0 for none."""
    villages = gazetteer.village_heads.get(text[start:end], ())
    return max((len(village) for village in villages if text.startswith(village, start)), default=0)


def bounded(gazetteer: Gazetteer, matches: list[Match]) -> tuple[list[Match], list[Match]]:
    """The matches the text's places allow, and the generic words left with no place inside them."""
    generic = [match for match in matches if match.generic]
    if not generic:
        return matches, []
    named = {code for match in matches if match not in generic for code in match.codes}
    kept, outside = [], []
    for match in matches:
        if match not in generic:
            kept.append(match)
            continue
        inside = tuple(hit for hit in match.hits if not named.isdisjoint(gazetteer.ancestors(hit.code)[:-1]))
        if inside:
            kept.append(Match(match.start, match.end, inside, generic=True))
        else:
            outside.append(match)
    return kept, outside


def masked(gazetteer: Gazetteer, text: str, matches: list[Match], chosen: list[str]) -> str:
    """The text with the names that led to the chosen divisions blanked out, so that village names are
    looked for in the rest (an unrelated name may be part of a village's: 桥西 in 桥西社区)."""
    lineages = {ancestor for code in chosen for ancestor in gazetteer.ancestors(code)}
    characters = list(text)
    for match in matches:
        if match.codes.isdisjoint(lineages):
            continue
        for position in range(max(match.start, 0), max(match.end, 0)):
            characters[position] = READ_NAME
    return "".join(characters)
