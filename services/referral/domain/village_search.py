"""Village names in an address: which townships the text names a village of. A village name followed by an
estate's or a road's word (张家新村小区, 东村路) names the estate or the road, not the village; a short one
(东村) counts only right after a name the resolver read, or at the start, not inside a longer word (大东村)."""

from dataclasses import dataclass

from services.referral.domain.gazetteer import SHORTEST_VILLAGE_FORM, Gazetteer
from shared.domain.divisions import common_area

NOT_A_VILLAGE_AFTER = (
    "小区", "花园", "家园", "公寓", "苑", "大厦", "广场", "路", "街", "巷", "胡同", "市场", "公园", "学校",
    "小学", "中学", "医院",
)  # fmt: skip
READ_NAME = "\0"  # how the resolver blanks out the names it has read


@dataclass(frozen=True)
class VillageHit:
    village: str
    township: str
    start: int
    end: int


def villages_named(gazetteer: Gazetteer, townships: list[str], masked: str, short_too: bool) -> list[VillageHit]:
    """The villages of these townships that the text names; one inside a longer one found does not count."""
    found = []
    begun = gazetteer.townships_with_villages_begun_in(masked, common_area(townships) or "")
    for township in (township for township in townships if township in begun):
        for village in gazetteer.villages_of(township, short_too):
            start = _named_at(masked, village)
            if start >= 0:
                found.append(VillageHit(village, township, start, start + len(village)))
    return [
        hit
        for hit in found
        if not any(o.start <= hit.start and hit.end <= o.end and o.end - o.start > hit.end - hit.start for o in found)
    ]


def townships_of(hits: list[VillageHit]) -> list[str]:
    return sorted({hit.township for hit in hits})


def _named_at(masked: str, village: str) -> int:
    start = masked.find(village)
    while start >= 0:
        end = start + len(village)
        after_a_name = start == 0 or masked[start - 1] == READ_NAME or masked[start - 1].isdigit()
        if not masked.startswith(NOT_A_VILLAGE_AFTER, end) and (len(village) >= SHORTEST_VILLAGE_FORM or after_a_name):
            return start
        start = masked.find(village, start + 1)
    return -1
