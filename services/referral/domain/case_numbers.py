"""Case numbers people read aloud: the area's short name, the year and a sequence of the area and year, such
as 晋中-2026-000123. The area is the child's prefecture-level city (晋中市 -> 晋中, 中山市 -> 中山); a
municipality or a county-level city under its province goes by its own short name; a child placed nowhere
known goes under the hotline's prefix. Pure rules: the database hands out the sequence."""

import re
from datetime import datetime

from services.referral.domain.gazetteer import Gazetteer
from shared.domain.divisions import DivisionCode, is_division_code
from shared.timezones import CHINA

HOTLINE_AREA = "热线"
CASE_NUMBER_PATTERN = r"^[^\s-]{1,20}-[0-9]{4}-[0-9]{6,9}$"
SEQUENCE_DIGITS = 6

# Names standing for a province's or a municipality's directly administered divisions, not for a city.
MUNICIPAL_DISTRICTS = frozenset({"市辖区", "县"})
PROVINCIAL_COUNTIES = frozenset({"省直辖县级行政区划", "自治区直辖县级行政区划"})

_SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "林区", "市", "盟", "省", "县", "区")
# The peoples an autonomous region's or prefecture's name carries after its place name (延边朝鲜族自治州).
_PEOPLES = re.compile(
    "(朝鲜族|土家族|布依族|景颇族|傈僳族|哈尼族|蒙古族|苗族|侗族|彝族|藏族|羌族|傣族|白族|壮族|回族|"
    "维吾尔|哈萨克|柯尔克孜|蒙古)+$"
)
SHORTEST = 2


def short_name(name: str) -> str:
    """晋中市 -> 晋中, 锡林郭勒盟 -> 锡林郭勒, 延边朝鲜族自治州 -> 延边, 广西壮族自治区 -> 广西; a name that would
    be left shorter than two characters stays whole (内蒙古)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= SHORTEST:
            name = name[: -len(suffix)]
            break
    without_peoples = _PEOPLES.sub("", name)
    return without_peoples if len(without_peoples) >= SHORTEST else name


def case_area(gazetteer: Gazetteer, code: str | None) -> str:
    """The area whose sequence a referral placed at `code` (any level, or none) is numbered in."""
    if not is_division_code(code):
        return HOTLINE_AREA
    division = DivisionCode(str(code))
    known = gazetteer.by_code
    province, city = known.get(division.province), known.get(division.city or "")
    county = known.get(division.county or "")
    if city is not None and city.name in PROVINCIAL_COUNTIES and county is not None:
        return short_name(county.name)
    if city is not None and city.name not in MUNICIPAL_DISTRICTS | PROVINCIAL_COUNTIES:
        return short_name(city.name)
    return short_name(province.name) if province is not None else HOTLINE_AREA


def case_year(received_at: datetime) -> int:
    """The year of the China day the first report came in."""
    return received_at.astimezone(CHINA).year


def case_number(area: str, year: int, sequence: int) -> str:
    return f"{area}-{year:04d}-{sequence:0{SEQUENCE_DIGITS}d}"


def counter_key(area: str, year: int) -> str:
    """The business key held while an area's sequence is taken (with the children's keys, in one order)."""
    return f"case-number:{area}:{year}"


def numbers_for(wanted: list[tuple[str, int]], firsts: dict[tuple[str, int], int]) -> list[str]:
    """A number for each (area, year) wanted, in order, counting on from the first one taken for it."""
    following = dict(firsts)
    numbers = []
    for area, year in wanted:
        numbers.append(case_number(area, year, following[area, year]))
        following[area, year] += 1
    return numbers
