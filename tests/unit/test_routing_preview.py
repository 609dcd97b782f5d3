"""The words for how an address matched and what its names counted for, and the operator's routing preview
(real national gazetteer, the demo stations' kinds)."""

import re
from datetime import timedelta

import pytest

from services.referral.domain.opening import Incoming, new_referral
from services.referral.domain.preview import Destination, preview_of, read_for_preview
from services.referral.domain.repeats import RepeatRule
from services.referral.domain.resolution import MatchedBy, Weight
from services.referral.domain.resolver import resolve
from services.referral.domain.routing import Station, route
from services.referral.domain.triage import Triage
from services.referral.entrypoints.http.preview_api import RoutingPreviewView
from services.referral.entrypoints.http.referral_responses import WeighedView
from shared.domain.codes import AssigneeKind, Priority
from shared.domain.problems import FieldProblems
from shared.events import ReportedChild, utcnow
from tests.factories import report_received

CHINESE = re.compile(r"^[\u4e00-\u9fff（）+]+$")
DAZHAI, XIYANG, SHOUYANG = "140724104", "140724", "140725"
STATIONS = {
    DAZHAI: Station(DAZHAI, AssigneeKind.STATION, "晋中市昔阳县大寨镇未成年人保护工作站"),
    XIYANG: Station(XIYANG, AssigneeKind.COUNTY_CENTRE, "晋中市昔阳县未成年人救助保护中心"),
    SHOUYANG: Station(SHOUYANG, AssigneeKind.COUNTY_CENTRE, "晋中市寿阳县未成年人救助保护中心"),
}


@pytest.mark.parametrize("code", [*MatchedBy, *Weight])
def test_every_way_of_matching_and_every_weight_has_chinese_words(code):
    assert CHINESE.match(code.label.replace("，", "")), code
    assert code.label != code.value


def test_the_labels_are_distinct_and_name_the_unique_pair():
    assert len({code.label for code in MatchedBy}) == len(MatchedBy)
    assert len({code.label for code in Weight}) == len(Weight)
    assert MatchedBy.UNIQUE_TOWNSHIP_AND_VILLAGE.label == "按乡镇+村唯一匹配"


def preview(gazetteer, address: str | None = None, division_code: str | None = None) -> RoutingPreviewView:
    resolution = read_for_preview(gazetteer, address, division_code)
    return RoutingPreviewView.of(preview_of(resolution, route(resolution, STATIONS)))


def test_a_township_previews_its_station_and_how_it_was_read(gazetteer):
    shown = preview(gazetteer, "山西省昔阳县洪水村")
    assert (shown.destination, shown.place.path, shown.assignee_name) == (
        Destination.STATION,
        "山西省 / 晋中市 / 昔阳县 / 大寨镇",
        "晋中市昔阳县大寨镇未成年人保护工作站",
    )
    assert (shown.matched_by, shown.matched_by_label) == ("village", "按村名匹配（县乡名限定）")
    assert preview(gazetteer, division_code=DAZHAI).matched_by_label == "按区划代码"


def test_a_county_only_previews_its_centre(gazetteer):
    shown = preview(gazetteer, "寿阳县城区")
    assert (shown.destination, shown.place.code, shown.assignee_name) == (
        Destination.COUNTY_CENTRE,
        SHOUYANG,
        "晋中市寿阳县未成年人救助保护中心",
    )


def test_an_ambiguous_address_previews_its_candidates_with_full_paths(gazetteer):
    shown = preview(gazetteer, "晋中市北关街道")
    assert (shown.destination, shown.place, shown.assignee_name) == (Destination.CANDIDATES, None, None)
    assert [(c.code, c.path) for c in shown.candidates] == [
        ("140702001", "山西省 / 晋中市 / 榆次区 / 北关街道"),
        ("140781001", "山西省 / 晋中市 / 介休市 / 北关街道"),
    ]
    picked = preview(gazetteer, "晋中市北关街道", "140781001")
    assert (picked.place.path, picked.matched_by) == ("山西省 / 晋中市 / 介休市 / 北关街道", MatchedBy.DIVISION_CODE)


def test_an_unknown_address_or_a_township_without_a_station_goes_to_the_queue(gazetteer):
    assert preview(gazetteer, "火星路8号").destination is Destination.QUEUE
    assert preview(gazetteer, "讷南镇平房村").destination is Destination.QUEUE


@pytest.mark.parametrize(
    ("address", "division_code", "field"),
    [(None, None, "address"), ("   ", None, "address"), ("昔阳县", "999999", "division_code")],
)
def test_a_preview_of_nothing_or_of_an_unknown_code_names_the_parameter(gazetteer, address, division_code, field):
    with pytest.raises(FieldProblems) as refused:
        read_for_preview(gazetteer, address, division_code)
    assert [problem.field for problem in refused.value.problems] == [field]


def opened(gazetteer, address: str):
    where = resolve(gazetteer, address)
    report = report_received(None, child=ReportedChild(address=address, age=7))
    item = Incoming(report, where, None, Triage(Priority.P3, False))
    return new_referral(item, route(where, STATIONS), 0, RepeatRule(timedelta(days=30), 3), utcnow())


def test_what_the_names_counted_for_is_kept_only_when_the_referral_opens_unrouted(gazetteer):
    unrouted = opened(gazetteer, "晋中市北关街道")
    assert [(w.text, w.weight) for w in unrouted.weighed] == [("晋中市", Weight.NAME), ("北关街道", Weight.NAME)]
    assert [WeighedView.model_validate(w).label for w in unrouted.weighed] == ["地名", "地名"]
    assert opened(gazetteer, "山西省昔阳县洪水村").weighed == ()
