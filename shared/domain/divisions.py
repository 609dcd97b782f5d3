"""Administrative division codes (NBS): 2 digits for a province, 4 a city, 6 a county, 9 a township (乡镇/街道)
and 12 a village. Every service reads the levels of a code here, and nowhere else."""

from dataclasses import dataclass
from enum import StrEnum


class DivisionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


LEVEL_OF_LENGTH = {
    2: DivisionLevel.PROVINCE,
    4: DivisionLevel.CITY,
    6: DivisionLevel.COUNTY,
    9: DivisionLevel.TOWNSHIP,
    12: DivisionLevel.VILLAGE,
}
LENGTH_OF_LEVEL = {level: length for length, level in LEVEL_OF_LENGTH.items()}


def is_division_code(text: object) -> bool:
    return isinstance(text, str) and text.isascii() and text.isdigit() and len(text) in LEVEL_OF_LENGTH


@dataclass(frozen=True, slots=True)
class DivisionCode:
    """A code of any level. Its parents are prefixes: `.county` of a township is its first six digits."""

    value: str

    def __post_init__(self) -> None:
        if not is_division_code(self.value):
            raise ValueError("a division code has 2, 4, 6, 9 or 12 ASCII digits")

    def __str__(self) -> str:
        return self.value

    @property
    def level(self) -> DivisionLevel:
        return LEVEL_OF_LENGTH[len(self.value)]

    def _at(self, level: DivisionLevel) -> str | None:
        length = LENGTH_OF_LEVEL[level]
        return self.value[:length] if len(self.value) >= length else None

    @property
    def province(self) -> str:
        return self.value[:2]

    @property
    def city(self) -> str | None:
        return self._at(DivisionLevel.CITY)

    @property
    def county(self) -> str | None:
        return self._at(DivisionLevel.COUNTY)

    @property
    def township(self) -> str | None:
        return self._at(DivisionLevel.TOWNSHIP)

    @property
    def areas(self) -> tuple[str, ...]:
        """The province, city and county this code lies in (itself among them when it is one of those)."""
        return tuple(code for code in (self.province, self.city, self.county) if code)

    def within(self, area: str) -> bool:
        """Whether this code lies in the area of a code prefix ("" is the whole country)."""
        return self.value.startswith(area)


def township_of(code: str | None) -> str | None:
    """The 9-digit township of a township or village code; None for a code above a township, or none."""
    return DivisionCode(code).township if code and is_division_code(code) else None


def county_of(code: str | None) -> str | None:
    """The 6-digit county of a code at county level or below; None above it, or for none."""
    return DivisionCode(code).county if code and is_division_code(code) else None


def common_area(codes: list[str]) -> str | None:
    """The smallest division (township, county, city or province) holding all these codes; None when they
    share no province, or there are none."""
    parsed = [DivisionCode(code) for code in codes if is_division_code(code)]
    for level in (DivisionLevel.TOWNSHIP, DivisionLevel.COUNTY, DivisionLevel.CITY, DivisionLevel.PROVINCE):
        heads = {code._at(level) for code in parsed}
        if len(heads) == 1 and None not in heads:
            return heads.pop()
    return None
