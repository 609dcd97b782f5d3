"""Addresses of many shapes drawn from the national gazetteer, each with the place it truly is: what
`benchmarks.resolver` feeds the resolver and judges it by."""

import random
from collections.abc import Callable
from dataclasses import dataclass

from services.referral.domain.gazetteer import PLACEHOLDER_NAMES, Gazetteer
from services.referral.domain.generic_names import GENERIC_NAMES
from services.referral.domain.name_matching import matches_in
from shared.domain.divisions import DivisionCode, DivisionLevel

GENERIC_WORDS = ("城区", "郊区", "老城区", "新区", "开发区", "东区", "西区")
NOISE = "的一是在不了有和人这中大为上个国"


@dataclass(frozen=True)
class Sample:
    shape: str
    address: str
    truth: str | None  # the deepest place the address names truly: a township, a county, or None


@dataclass(frozen=True)
class _Drawn:
    township: str
    county: str
    names: list[str]  # province first, placeholders left out
    village: str
    short_village: str | None


def samples(gazetteer: Gazetteer, count: int, seed: int = 2023) -> list[Sample]:
    rng = random.Random(seed)
    townships = sorted(d.code for d in gazetteer.by_code.values() if d.level == DivisionLevel.TOWNSHIP)
    shapes = _shapes(gazetteer, rng)
    drawn: list[Sample] = []
    while len(drawn) < count:
        place = _draw(gazetteer, rng, rng.choice(townships))
        shape = rng.choice(list(shapes))
        sample = shapes[shape](place) if place else None
        if sample is not None:
            drawn.append(Sample(shape, *sample))
    return drawn


def _draw(gazetteer: Gazetteer, rng: random.Random, township: str) -> _Drawn | None:
    county = gazetteer.county_of(township)
    villages = gazetteer.villages_of(township)
    if county is None or not villages:
        return None
    names = [d.name for d in gazetteer.path(township) if d.name not in PLACEHOLDER_NAMES]
    if names[-1] in names[:-1]:
        return None  # a township named as its county (金门县 in 金门县): its county is not told apart
    short = [village for village in gazetteer.villages_of(township, short_too=True) if len(village) == 2]
    return _Drawn(township, county, names, rng.choice(villages), rng.choice(short) if short else None)


def _shapes(gazetteer: Gazetteer, rng: random.Random) -> dict[str, Callable[[_Drawn], tuple[str, str | None] | None]]:
    def other_village(place: _Drawn) -> tuple[str, str | None] | None:
        """A village of somewhere else, named as a housing estate in this county: the county, not a township."""
        stranger = _draw(gazetteer, rng, rng.choice(gazetteer.townships_under(DivisionCode(place.county).province)))
        inside = {v for t in gazetteer.townships_under(place.county) for v in gazetteer.villages_of(t, True)}
        if stranger is None or stranger.village in inside or matches_in(gazetteer, stranger.village):
            return None
        return place.names[-2] + stranger.village + "小区", place.county

    def generic(place: _Drawn) -> tuple[str, str | None] | None:
        word = rng.choice(GENERIC_WORDS)
        under = [gazetteer.by_code[t].name for t in gazetteer.townships_under(place.county)]
        if place.names[-2] in GENERIC_NAMES or any(word in name for name in under):
            return None
        return place.names[-2] + word + "人民路8号", place.county

    def mismatched(place: _Drawn) -> tuple[str, str | None] | None:
        """A county with a township of another county: the county named, never that township."""
        elsewhere = gazetteer.by_code[rng.choice(gazetteer.townships_under(DivisionCode(place.county).province))].name
        under = {gazetteer.by_code[t].name for t in gazetteer.townships_under(place.county)}
        if elsewhere in under or len(matches_in(gazetteer, elsewhere)) != 1:
            return None  # a name inside the township's name (林甸县长青林场) names another county too
        return place.names[-2] + elsewhere, place.county

    def holds_county(place: _Drawn) -> tuple[str, str | None] | None:
        return (place.names[-1], place.township) if gazetteer.holds_its_county(place.township) else None

    def two_character_village(place: _Drawn) -> tuple[str, str | None] | None:
        return (place.names[-2] + place.short_village + "5号", place.township) if place.short_village else None

    return {
        "full": lambda p: ("".join(p.names) + "人民路12号", p.township),
        "no province": lambda p: ("".join(p.names[1:]), p.township),
        "county and township": lambda p: ("".join(p.names[-2:]) + "3组", p.township),
        "county and village": lambda p: (p.names[-2] + p.village, p.township),
        "county and 2-character village": two_character_village,
        "city and village": lambda p: (p.names[-3] + p.village, p.township) if len(p.names) > 3 else None,
        "township and village": lambda p: (p.names[-1] + p.village, p.township),
        "township only": lambda p: (p.names[-1], p.township),
        "township holding its county": holds_county,
        "county and generic word": generic,
        "county and an estate": other_village,
        "county and another's township": mismatched,
        "spaces and punctuation": lambda p: ("， ".join(p.names) + "（" + p.village + "）", p.township),
        "garbage": lambda p: ("".join(rng.choice(NOISE) for _ in range(12)), None),
    }
