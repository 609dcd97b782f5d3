"""Everyday words that are also division names: the resolver counts them only inside a named place."""

from shared.domain.divisions import DivisionLevel

# Everyday words that are also the names of a few districts or zones (城区 is 阳泉's and 晋城's, and every
# county's town): they count only inside a place the text names otherwise. Beside these, every county-level
# name of one character and 区 (东区, 矿区) is one, and so is a zone of one character and a generic word (县开发区).
GENERIC_NAMES = frozenset(
    {
        "城区", "郊区", "东区", "西区", "南区", "北区", "中区", "新区", "市区", "矿区", "老城区", "新城区",
        "城关区", "城中区", "城东区", "城西区", "城南区", "城北区", "市中区", "开发区", "经济开发区",
        "经济技术开发区", "高新区", "工业园区", "城区街道",
    }
)  # fmt: skip


def is_generic(level: DivisionLevel, name: str) -> bool:
    one_character_district = level == DivisionLevel.COUNTY and len(name) == 2 and name.endswith("区")
    zone_of_one_character = len(name) >= 4 and name[1:] in GENERIC_NAMES  # 县开发区 (not 樊城区)
    # 市良种场 and 县开发区 begin with a level's word: in 北京市良种场 the 市 is 北京市's.
    begins_with_a_level = level == DivisionLevel.TOWNSHIP and name[:1] in ("省", "市", "县", "区", "旗")
    return name in GENERIC_NAMES or one_character_district or zone_of_one_character or begins_with_a_level
