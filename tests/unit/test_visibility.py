import pytest

from shared.domain.access import Principal, Role, can_see_case, may_watch_area

DAZHAI, PINGTOU = "140724104", "140725103"


@pytest.mark.parametrize(
    ("role", "scope", "assignee", "division", "visible"),
    [
        (Role.OPERATOR, "1407", PINGTOU, None, True),
        (Role.OPERATOR, "4420", PINGTOU, None, False),  # another hotline centre's area
        (Role.OPERATOR, "4420", DAZHAI, DAZHAI, False),
        (Role.OPERATOR, "1407", "442000001", DAZHAI, True),  # held elsewhere, the child of its area
        (Role.OPERATOR, "4420", None, DAZHAI, True),  # unrouted: the whole hotline's queue to dispatch
        (Role.OPERATOR, "4420", "hotline", None, True),  # the hotline's own dispatch clock
        (Role.ADMIN, "", None, None, True),
        (Role.STATION, DAZHAI, DAZHAI, None, True),
        (Role.STATION, DAZHAI, PINGTOU, None, False),
        (Role.STATION, DAZHAI, None, DAZHAI + "201", False),  # unrouted: the hotline's, not the station's
        (Role.COUNTY_CENTRE, "140724", DAZHAI, None, True),
        (Role.COUNTY_CENTRE, "140724", "140724", None, True),
        (Role.COUNTY_CENTRE, "140724", PINGTOU, None, False),
        (Role.COUNTY_CENTRE, "140724", None, DAZHAI, True),  # unrouted in its county: its to dispatch
        (Role.COMMITTEE, "1407", PINGTOU, None, True),
        (Role.COMMITTEE, "1407", "442000001", None, False),
        (Role.COMMITTEE, "", None, None, False),
    ],
)
def test_who_may_see_a_case(role, scope, assignee, division, visible):
    assert can_see_case(Principal("someone", role, scope), assignee, division) is visible


@pytest.mark.parametrize(
    ("role", "scope", "area", "allowed"),
    [
        (Role.COMMITTEE, "1407", "140724", True),
        (Role.COMMITTEE, "1407", "4420", False),
        (Role.COUNTY_CENTRE, "140724", "140724104", True),
        (Role.COUNTY_CENTRE, "140724", "1407", False),
        (Role.ADMIN, "", "4420", True),
        (Role.OPERATOR, "1407", "140724", True),
        (Role.OPERATOR, "4420", "140724", False),
        (Role.STATION, "140724104", "1407", True),  # its lists are narrowed case by case
    ],
)
def test_who_may_ask_for_an_areas_figures(role, scope, area, allowed):
    assert may_watch_area(Principal("someone", role, scope), area) is allowed
