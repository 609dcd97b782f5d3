from services.referral.routing import Station, route
from shared.codes import AssigneeKind

DAZHAI = Station("140724104", AssigneeKind.STATION, "大寨镇工作站")
XIYANG_CENTRE = Station("140724", AssigneeKind.COUNTY_CENTRE, "昔阳县中心")


def test_a_township_with_a_station_goes_to_that_station():
    routing = route("140724104201", {DAZHAI.code: DAZHAI, XIYANG_CENTRE.code: XIYANG_CENTRE})
    assert routing.assignee == DAZHAI
    assert routing.reason == "township_station"


def test_a_nine_digit_township_code_is_enough():
    assert route("140724104", {DAZHAI.code: DAZHAI}).assignee == DAZHAI


def test_a_township_without_a_station_goes_to_its_county_centre():
    routing = route("140724105", {XIYANG_CENTRE.code: XIYANG_CENTRE})
    assert routing.assignee == XIYANG_CENTRE
    assert routing.reason == "county_centre_no_station"


def test_nothing_covering_the_division_leaves_it_unrouted():
    routing = route("110101001", {})
    assert routing.assignee is None
    assert routing.reason == "no_station_covers_division"


def test_no_division_code_leaves_it_unrouted():
    assert route(None, {DAZHAI.code: DAZHAI}).reason == "no_division_code"


def test_a_centre_is_never_taken_for_a_township_station():
    mislabelled = Station("140724104", AssigneeKind.COUNTY_CENTRE, "wrong")
    assert route("140724104", {mislabelled.code: mislabelled}).assignee is None
