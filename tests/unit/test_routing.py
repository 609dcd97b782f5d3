from services.referral.domain.resolution import Outcome, Place, Resolution
from services.referral.domain.routing import Station, route
from shared.domain.codes import AssigneeKind

DAZHAI = Station("140724104", AssigneeKind.STATION, "大寨镇工作站")
XIYANG_CENTRE = Station("140724", AssigneeKind.COUNTY_CENTRE, "昔阳县中心")
BOTH = {DAZHAI.code: DAZHAI, XIYANG_CENTRE.code: XIYANG_CENTRE}


def township(code: str) -> Resolution:
    return Resolution(Outcome.TOWNSHIP, Place(code, "township", ("某省", "某县", "某镇")), "names")


def county(code: str) -> Resolution:
    return Resolution(Outcome.COUNTY, Place(code, "county", ("某省", "某县")), "names")


def test_a_township_with_a_station_goes_to_that_station():
    routing = route(township("140724104"), BOTH)
    assert (routing.assignee, routing.reason, routing.division_code) == (DAZHAI, "township_station", "140724104")


def test_a_township_without_a_station_goes_to_its_county_centre():
    routing = route(township("140724105"), BOTH)
    assert (routing.assignee, routing.reason) == (XIYANG_CENTRE, "county_centre_no_station")


def test_a_county_alone_goes_to_its_centre():
    routing = route(county("140724"), BOTH)
    assert (routing.assignee, routing.reason, routing.division_code) == (XIYANG_CENTRE, "county_only", "140724")


def test_nothing_covering_the_division_leaves_it_unrouted_with_the_place_as_candidate():
    routing = route(township("110101001"), {})
    assert (routing.assignee, routing.reason) == (None, "no_station_covers_division")
    assert [place.code for place in routing.candidates] == ["110101001"]


def test_an_ambiguous_address_is_unrouted_with_its_candidates():
    candidates = (Place("140702001", "township", ("榆次区", "北关街道")), Place("140781001", "township", ("介休市",)))
    routing = route(Resolution(Outcome.AMBIGUOUS, candidates=candidates, reason="same_name_in_several_areas"), BOTH)
    assert (routing.assignee, routing.reason, routing.candidates) == (None, "ambiguous_address", candidates)


def test_an_unresolved_address_is_unrouted():
    routing = route(Resolution(Outcome.UNRESOLVED, reason="no_known_name"), BOTH)
    assert (routing.assignee, routing.reason, routing.candidates) == (None, "unresolved_address", ())


def test_a_centre_is_never_taken_for_a_township_station():
    mislabelled = Station("140724104", AssigneeKind.COUNTY_CENTRE, "wrong")
    assert route(township("140724104"), {mislabelled.code: mislabelled}).assignee is None
