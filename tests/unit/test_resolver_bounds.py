"""The places the text names bound the resolver (complete national gazetteer, NBS 2023 codes): generic
words inside them only, short village names under a named county, a township and village pair found once
nationally, a township holding its county's name, and what each result weighed."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.referral.domain.gazetteer import PLACEHOLDER_NAMES, Gazetteer
from services.referral.domain.resolution import MatchedBy, Outcome, Weight
from services.referral.domain.resolver import resolve

T, C, A, U = Outcome.TOWNSHIP, Outcome.COUNTY, Outcome.AMBIGUOUS, Outcome.UNRESOLVED
UNIQUE = MatchedBy.UNIQUE_TOWNSHIP_AND_VILLAGE

RESOLVED = [
    ("generic word in a named county", "寿阳县城区", C, "140725", MatchedBy.NAMES),
    ("generic word in a named county", "介休市郊区", C, "140781", MatchedBy.NAMES),
    ("generic word in a named county", "榆次区老城区人民路3号", C, "140702", MatchedBy.NAMES),
    ("generic word in a city without counties", "中山市城区", C, "442000", MatchedBy.NAMES),
    ("generic word in a named county", "宁陵县开发区", C, "411423", MatchedBy.NAMES),
    ("generic word naming a place inside the city", "阳泉市城区", C, "140302", MatchedBy.NAMES),
    ("generic word naming a place inside the city", "洛阳市老城区", C, "410302", MatchedBy.NAMES),
    ("two-character village under a named county", "榆次区志村", T, "140702100", MatchedBy.VILLAGE),
    ("two-character village under a named county", "晋中市榆次区彭村5号", T, "140702101", MatchedBy.VILLAGE),
    ("township and village unique nationally", "讷南镇平房村", T, "230281105", UNIQUE),
    ("township and village unique nationally", "武安镇莲花堰村", T, "420624101", UNIQUE),
    ("township holding its county's name", "密云镇", T, "110118100", UNIQUE),
    ("township holding its county's name", "大兴经济开发区", T, "110115405", UNIQUE),
    ("a county's short name beginning a village's name", "高梁镇永兴村", T, "511011102", UNIQUE),
]


@pytest.mark.parametrize(("shape", "address", "outcome", "code", "matched_by"), RESOLVED, ids=[r[1] for r in RESOLVED])
def test_the_named_places_bound_the_search(gazetteer, shape, address, outcome, code, matched_by):
    resolution = resolve(gazetteer, address)
    assert (resolution.outcome, resolution.place and resolution.place.code, resolution.matched_by) == (
        outcome,
        code,
        matched_by,
    ), shape


NOT_A_PICK = [
    ("generic word alone", "城区", U),
    ("generic word alone", "老城区人民路", U),
    ("housing estate named after a village", "榆次区志村小区", C),
    ("two-character village inside a longer word", "榆次区大志村", C),
    ("road named after a village", "昔阳县洪水村路8号", C),
    ("township holding a county's name, outside the province named", "山西省密云镇", U),
    ("the county named wins over another's township", "潞城区小店街道", C),
    ("two-character village with no county named", "乌金山镇志村", T),  # the township is unique anyway
]


@pytest.mark.parametrize(("shape", "address", "outcome"), NOT_A_PICK, ids=[n[1] for n in NOT_A_PICK])
def test_words_outside_the_named_places_do_not_pick(gazetteer, shape, address, outcome):
    resolution = resolve(gazetteer, address)
    assert resolution.outcome is outcome, shape
    if outcome is C:
        assert resolution.matched_by is MatchedBy.NAMES


def test_a_township_alone_still_gives_candidates(gazetteer):
    assert resolve(gazetteer, "北关街道").outcome is A
    assert resolve(gazetteer, "讷南镇").outcome is A  # found once, but a township alone is not evidence


def test_each_result_says_what_it_weighed(gazetteer):
    weighed = [(w.text, w.weight, w.codes[:2]) for w in resolve(gazetteer, "寿阳县城区").weighed]
    assert weighed == [("寿阳县", Weight.NAME, ("140725",)), ("城区", Weight.OUTSIDE_NAMED_AREA, ("140302", "140502"))]
    weighed = [(w.text, w.weight, w.codes) for w in resolve(gazetteer, "讷南镇平房村").weighed]
    assert weighed == [("讷南镇", Weight.NAME, ("230281105",)), ("平房村", Weight.VILLAGE, ("230281105",))]
    by_code = resolve(gazetteer, "", division_code="140724104")
    assert [(w.text, w.weight) for w in by_code.weighed] == [("140724104", Weight.DIVISION_CODE)]
    ambiguous = resolve(gazetteer, "晋中市北关街道")
    assert [w.weight for w in ambiguous.weighed] == [Weight.NAME, Weight.NAME]


def _townships(gazetteer: Gazetteer) -> list[str]:
    return sorted(code for code, d in gazetteer.by_code.items() if d.level == "township")


def _names(gazetteer: Gazetteer, code: str) -> list[str]:
    return [d.name for d in gazetteer.path(code) if d.name not in PLACEHOLDER_NAMES]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=st.integers(min_value=0),
    second=st.integers(min_value=0),
    areas=st.sampled_from([(0,), (1,), (2,), (0, 2), (1, 2), (0, 1, 2)]),
    tail=st.sampled_from(["", "城区", "老城区", "开发区", "新区", "郊区", "village", "小区", "人民路8号"]),
)
def test_no_result_lies_outside_the_places_the_text_names(gazetteer, first, second, areas, tail):
    """Areas of one township's line (province, city, county), then another township from anywhere, then a
    generic word or a village: the result, and every candidate, lies inside a place of the deepest area's
    name (two counties may share a name: 朝阳区); a generic word (新城区) alone does not name one."""
    townships = _townships(gazetteer)
    home, elsewhere = townships[first % len(townships)], townships[second % len(townships)]
    names = _names(gazetteer, home)[:-1]
    if len(names) < 3:
        names = [names[0], *names]  # a municipality or a city without counties: the city stands for both
    named = [names[level] for level in areas]
    villages = gazetteer.villages_of(elsewhere, short_too=True)
    extra = (villages[0] if villages else "") if tail == "village" else tail
    address = "".join(named) + _names(gazetteer, elsewhere)[-1] + extra
    resolution = resolve(gazetteer, address)
    firm = [name for name in named if name not in gazetteer.generic_forms]  # 新城区 alone names no place
    bounds = {code for code, d in gazetteer.by_code.items() if firm and d.name == firm[-1]}
    if not bounds:
        return
    for place in (resolution.place, *resolution.candidates):
        if place is not None:
            assert bounds & set(gazetteer.ancestors(place.code)), (address, place.path)
