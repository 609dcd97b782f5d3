"""A reporter's identity goes only to the hotline centre that took the report, or to the station (or centre)
holding the case when the reporter consented; never to a committee, an administrator or another centre's
operator. An operator reads only the reports of its area."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from services.intake.domain.report_views import RoutingStatus, StoredReport
from services.intake.domain.reporter_identity import ReporterIdentity, visible_identity
from services.referral.domain.case_views import FiledReport, as_seen_by
from shared.domain.access import Principal, Role, in_operators_area, operators_area

IDENTITY = ReporterIdentity(name="张三", phone="13912345678", relation="neighbour")
SEALED = b"sealed"
TOOK_IT = Principal("operator-1", Role.OPERATOR, "1407")
CALLERS = {
    "another centre's operator": Principal("operator-b", Role.OPERATOR, "4420"),
    "committee": Principal("committee-1", Role.COMMITTEE, "1407"),
    "admin": Principal("admin-1", Role.ADMIN, ""),
    "station": Principal("station-1", Role.STATION, "140724104"),
}


def unseal(sealed: bytes) -> ReporterIdentity:
    assert sealed == SEALED
    return IDENTITY


@pytest.mark.parametrize("shared", [True, False])
def test_the_hotline_centre_that_took_the_report_sees_the_reporter(shared):
    assert visible_identity(SEALED, shared, "1407", TOOK_IT, unseal)["name"] == "张三"
    assert visible_identity(SEALED, shared, "140724", TOOK_IT, unseal)["phone"] == "13912345678"


@pytest.mark.parametrize("caller", ["another centre's operator", "committee", "admin"])
@pytest.mark.parametrize("shared", [True, False])
def test_nobody_else_sees_the_reporter_even_when_they_consented(caller, shared):
    assert visible_identity(SEALED, shared, "1407", CALLERS[caller], unseal) == {}


def test_a_report_taken_before_the_centre_was_kept_shows_the_reporter_to_no_operator():
    assert visible_identity(SEALED, False, None, TOOK_IT, unseal) == {}


def test_a_station_sees_a_consenting_reporter_with_the_phone_masked():
    shown = visible_identity(SEALED, True, "1407", CALLERS["station"], unseal)
    assert shown["name"] == "张三" and shown["phone"] != "13912345678"
    assert visible_identity(SEALED, False, "1407", CALLERS["station"], unseal) == {}


def test_in_referral_only_the_holder_sees_a_consenting_reporter():
    report = {
        "child": {"name": "李小明", "age": 8},
        "concerns": ["neglect"],
        "immediate_danger": False,
        "mandatory_report": False,
        "reporter": {},
        "narrative": "无人照看",
        "reporter_identity": {"name": "张三", "phone": "13912345678"},
    }
    filed = FiledReport(uuid4(), datetime.now(UTC), False, report)
    holders = [CALLERS["station"], Principal("centre-1", Role.COUNTY_CENTRE, "140724")]
    assert all(as_seen_by(filed, holder)["reporter_identity"]["name"] == "张三" for holder in holders)
    for caller in (CALLERS["committee"], CALLERS["admin"], TOOK_IT):
        assert as_seen_by(filed, caller)["reporter_identity"] is None


def stored(division_code: str | None, hotline_area: str | None) -> StoredReport:
    return StoredReport(
        report_id=uuid4(),
        hotline_ticket_id=None,
        received_at=datetime.now(UTC),
        channel="phone",
        division_code=division_code,
        child={},
        concerns=[],
        immediate_danger=False,
        mandatory_report=False,
        narrative="",
        reporter={},
        sealed_identity=None,
        identity_shared=False,
        routing=RoutingStatus(
            state="received",
            referral_id=None,
            station_code=None,
            station_name=None,
            priority=None,
            reason=None,
            next_deadline_stage=None,
            next_deadline_at=None,
        ),
        hotline_area=hotline_area,
    )


@pytest.mark.parametrize(
    ("scope", "division", "hotline_area", "visible"),
    [
        ("1407", "140724104", "1407", True),
        ("4420", "140724104", "1407", False),  # another area's report
        ("4420", "140724104", "4420", True),  # taken by its centre: it follows it up
        ("1407", None, "1407", True),  # no division yet: the centre that took it
        ("4420", None, "1407", False),
        ("14", "140724104", None, True),  # a province's centre covers its cities
    ],
)
def test_an_operator_reads_the_reports_of_its_area(scope, division, hotline_area, visible):
    operator = Principal("operator", Role.OPERATOR, scope)
    assert stored(division, hotline_area).visible_to(operator) is visible
    assert in_operators_area(operator, division, hotline_area) is visible
    assert operators_area(operator) == scope and operators_area(CALLERS["committee"]) is None
