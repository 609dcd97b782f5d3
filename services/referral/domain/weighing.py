"""What each name in an address counted for in the resolver's result: shown to the hotline supervisors next
to the candidates, so that they see why an address went where it went or stopped where it did."""

from services.referral.domain.gazetteer import Gazetteer, NameHit
from services.referral.domain.name_matching import Match
from services.referral.domain.resolution import Resolution, Weighed, Weight

MOST_CODES_WEIGHED = 5
WEIGHT_OF = {"name": Weight.NAME, "short_name": Weight.SHORT_NAME, "alias": Weight.ALIAS}


def weighed(
    gazetteer: Gazetteer, text: str, matches: list[Match], outside: list[Match], resolution: Resolution
) -> tuple[Weighed, ...]:
    """Each name read, with what it counted for in this result; then the villages that settled it."""
    chosen = [place.code for place in (resolution.place, *resolution.candidates) if place is not None]
    lineages = {ancestor for code in chosen for ancestor in gazetteer.ancestors(code)}
    weighed = []
    for match in sorted([*matches, *outside], key=lambda m: m.start):
        words = text[match.start : match.end] if match.start >= 0 else next(iter(match.codes))
        agreeing = [hit for hit in match.hits if hit.code in lineages]
        if match in outside:
            weighed.append(Weighed(words, Weight.OUTSIDE_NAMED_AREA, _few(match.hits)))
        elif match.start < 0:
            weighed.append(Weighed(words, Weight.COUNTY_CONTEXT, tuple(match.codes)))
        elif agreeing:
            weighed.append(Weighed(words, WEIGHT_OF[agreeing[0].via], _few(agreeing)))
        else:
            weighed.append(Weighed(words, Weight.NOT_SUPPORTED, _few(match.hits)))
    return (*weighed, *resolution.weighed)


def _few(hits: tuple[NameHit, ...] | list[NameHit]) -> tuple[str, ...]:
    return tuple(sorted({hit.code for hit in hits}))[:MOST_CODES_WEIGHED]
