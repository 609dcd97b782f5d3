"""After the assessment, on storage kept in memory: an assessment of 一般 or worse puts the child under monitoring
and 良好 ends it, 危险 makes the case one the police must be told of; the station names a pairing helper and
records follow-up visits while monitoring lasts, and ends it when the child turns 18 (not before the birth data
say so) or moves away (to the new township's station); the helper's name is the holder's and the centre's."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from services.referral.application.acting import Act
from services.referral.application.referring import Referrer
from services.referral.domain import monitoring
from services.referral.domain.aftercare import Monitoring
from services.referral.domain.case_views import helper_as_seen_by
from services.referral.domain.changes import ActionContext
from services.referral.domain.routing import Station
from services.referral.entrypoints.http.action_requests import HelperNamed, MonitoringEnded
from shared.domain.access import Principal, Role
from shared.domain.codes import AssigneeKind
from shared.domain.monitoring import Assessment, MonitoringEnd
from shared.domain.problems import Conflict, FieldProblems, Forbidden
from shared.domain.referrals import ReferralAction, ReferralStatus
from shared.events import ReferralActionRecorded, ReferralAssigned, utcnow
from tests.factories import report_received
from tests.fakes.referral_repositories import InMemoryTransactions
from tests.unit.test_referral_police_and_reopening import PINGTOU, WITH_PINGTOU
from tests.unit.test_referral_use_cases import DAZHAI, DAZHAI_STATION, REPEATS, STATIONS, XIYANG, announced

CENTRE = Principal("xiyang", Role.COUNTY_CENTRE, XIYANG)
COMMITTEE = Principal("jinzhong", Role.COMMITTEE, "1407")
PINGTOU_STATION = Principal("pingtou", Role.STATION, PINGTOU)


@pytest.fixture
def storage() -> InMemoryTransactions:
    return InMemoryTransactions([*STATIONS, Station(PINGTOU, AssigneeKind.STATION, "平头镇工作站")])


@pytest.fixture
def act(storage) -> Act:
    return Act(storage, lambda: WITH_PINGTOU)


@pytest.fixture
async def acknowledged(storage, act):
    report = report_received(DAZHAI, received_at=utcnow() - timedelta(days=3))
    await Referrer(storage, lambda: WITH_PINGTOU, b"test-only-child-key-secret", REPEATS).refer_many([report])
    referral = storage.rows.of_report(report.report_id)
    await act(referral.referral_id, DAZHAI_STATION, lambda r, c: r.acknowledge(c))
    return referral.referral_id


def assessing(level: Assessment, at=None):
    return lambda referral, context: referral.record_assessment(context, level, at)


def naming(name="王芳", phone="13800000000", at=None):
    return lambda referral, context: monitoring.helper_named(
        referral, context, monitoring.Helper(name, phone, at), None
    )


def visiting(at=None):
    return lambda referral, context: monitoring.follow_up_visited(referral, context, at, None)


def ending(reason: MonitoringEnd, division_code=None, at=None):
    return lambda referral, context: monitoring.ended(
        referral, context, monitoring.Ending(reason, division_code, at), None
    )


def last_action(storage) -> ReferralActionRecorded:
    return announced(storage, ReferralActionRecorded)[-1]


async def test_a_fair_assessment_starts_monitoring_a_second_continues_it_and_good_ends_it(storage, act, acknowledged):
    started = await act(acknowledged, DAZHAI_STATION, assessing(Assessment.FAIR))
    assert started.status is ReferralStatus.MONITORING and started.monitoring.monitoring_started_at
    assert last_action(storage).detail["monitoring"] == "started"
    again = await act(acknowledged, DAZHAI_STATION, assessing(Assessment.POOR))
    assert (again.status, again.assessment, last_action(storage).detail["monitoring"]) == (
        ReferralStatus.MONITORING,
        Assessment.POOR,
        "continues",
    )
    assert again.monitoring.monitoring_started_at == started.monitoring.monitoring_started_at
    good = await act(acknowledged, DAZHAI_STATION, assessing(Assessment.GOOD))
    assert good.status is ReferralStatus.ACKNOWLEDGED
    assert good.monitoring.monitoring_end_reason is MonitoringEnd.GOOD_ASSESSMENT
    assert last_action(storage).detail | {"at": None} == {
        "level": "good",
        "at": None,
        "monitoring": "ended",
        "reason": "good_assessment",
    }
    assert last_action(storage).status is ReferralStatus.ACKNOWLEDGED


async def test_a_good_assessment_outside_monitoring_says_nothing_of_it(storage, act, acknowledged):
    assessed = await act(acknowledged, DAZHAI_STATION, assessing(Assessment.GOOD))
    assert assessed.status is ReferralStatus.ACKNOWLEDGED and "monitoring" not in last_action(storage).detail


async def test_dangerous_makes_the_police_required_unless_they_were_told(storage, act, acknowledged):
    referral = await act(acknowledged, DAZHAI_STATION, assessing(Assessment.DANGEROUS))
    assert referral.police_required and last_action(storage).detail["police_required"] == "true"
    await act(acknowledged, DAZHAI_STATION, assessing(Assessment.DANGEROUS))
    assert "police_required" not in last_action(storage).detail  # already so: nothing new to start


async def test_a_helper_is_named_under_monitoring_only_and_a_second_replaces_the_first(storage, act, acknowledged):
    with pytest.raises(Conflict):
        await act(acknowledged, DAZHAI_STATION, naming())
    await act(acknowledged, DAZHAI_STATION, assessing(Assessment.FAIR))
    with pytest.raises(Forbidden):
        await act(acknowledged, COMMITTEE, naming())
    await act(acknowledged, DAZHAI_STATION, naming())
    assert set(last_action(storage).detail) == {"at"}  # never the name or phone
    referral = await act(acknowledged, DAZHAI_STATION, naming("John Smith", None))
    assert (referral.monitoring.helper_name, referral.monitoring.helper_phone) == ("John Smith", None)
    assert [entry.action for entry in storage.rows.history].count(ReferralAction.HELPER_NAMED) == 2
    assert all("王芳" not in str(entry.detail) for entry in storage.rows.history)


async def test_a_helper_or_visit_before_monitoring_started_is_refused_naming_at(storage, act, acknowledged):
    await act(acknowledged, DAZHAI_STATION, assessing(Assessment.FAIR, utcnow() - timedelta(days=1)))
    for step in (naming(at=utcnow() - timedelta(days=2)), visiting(utcnow() - timedelta(days=2))):
        with pytest.raises(FieldProblems) as refused:
            await act(acknowledged, DAZHAI_STATION, step)
        assert [problem.field for problem in refused.value.problems] == ["at"]


async def test_the_latest_follow_up_visit_is_kept(storage, act, acknowledged):
    with pytest.raises(Conflict):
        await act(acknowledged, DAZHAI_STATION, visiting())
    await act(acknowledged, DAZHAI_STATION, assessing(Assessment.POOR, utcnow() - timedelta(days=2)))
    latest = utcnow() - timedelta(hours=1)
    await act(acknowledged, DAZHAI_STATION, visiting(latest))
    referral = await act(acknowledged, DAZHAI_STATION, visiting(latest - timedelta(days=1)))
    assert referral.monitoring.follow_up_visit_at == latest
    assert last_action(storage).action is ReferralAction.FOLLOW_UP_VISIT_RECORDED


async def test_turned_18_is_refused_while_the_birth_data_say_the_child_is_younger(storage, act, acknowledged):
    await act(acknowledged, DAZHAI_STATION, assessing(Assessment.FAIR))
    referral = storage.rows.referrals[acknowledged]
    context = ActionContext(DAZHAI_STATION, utcnow(), WITH_PINGTOU)
    young = replace(referral, child_birth_date=date.today() - timedelta(days=17 * 366))
    with pytest.raises(FieldProblems) as refused:
        ending(MonitoringEnd.TURNED_18)(young, context)
    assert [problem.field for problem in refused.value.problems] == ["reason"]
    adult = replace(referral, child_birth_date=date(2000, 1, 1))
    assert ending(MonitoringEnd.TURNED_18)(adult, context).fields["status"] is ReferralStatus.ACKNOWLEDGED
    with pytest.raises(FieldProblems) as contradicting:
        ending(MonitoringEnd.TURNED_18, PINGTOU)(adult, context)
    assert [problem.field for problem in contradicting.value.problems] == ["division_code"]

    ended = await act(acknowledged, DAZHAI_STATION, ending(MonitoringEnd.TURNED_18))  # no birth data: as stated
    assert (ended.status, ended.monitoring.monitoring_end_reason) == (
        ReferralStatus.ACKNOWLEDGED,
        MonitoringEnd.TURNED_18,
    )
    assert last_action(storage).detail["reason"] == "turned_18"


async def test_moved_away_goes_to_the_new_townships_station_to_acknowledge_again(storage, act, acknowledged):
    await act(acknowledged, DAZHAI_STATION, assessing(Assessment.POOR))
    for division_code, field in ((None, "division_code"), (DAZHAI, "division_code"), ("140799999", "division_code")):
        with pytest.raises(FieldProblems) as refused:
            await act(acknowledged, DAZHAI_STATION, ending(MonitoringEnd.MOVED_AWAY, division_code))
        assert [problem.field for problem in refused.value.problems] == [field], division_code
    with pytest.raises(Forbidden):
        await act(acknowledged, CENTRE, ending(MonitoringEnd.MOVED_AWAY, PINGTOU))

    moved = await act(acknowledged, DAZHAI_STATION, ending(MonitoringEnd.MOVED_AWAY, PINGTOU))
    assert (moved.status, moved.assignee_code) == (ReferralStatus.ASSIGNED, PINGTOU)
    assert moved.monitoring.monitoring_end_reason is MonitoringEnd.MOVED_AWAY
    assert announced(storage, ReferralAssigned)[-1].assignee_code == PINGTOU
    assert last_action(storage).detail["moved_to"] == PINGTOU
    acknowledged_there = await act(acknowledged, PINGTOU_STATION, lambda r, c: r.acknowledge(c))
    assert acknowledged_there.status is ReferralStatus.ACKNOWLEDGED


def test_the_station_ends_monitoring_only_for_turning_18_or_moving_away():
    assert MonitoringEnded(reason="moved_away", division_code=PINGTOU).reason is MonitoringEnd.MOVED_AWAY
    for reason in ("good_assessment", "guardianship", "", 18):
        with pytest.raises(ValidationError):
            MonitoringEnded(reason=reason)
    with pytest.raises(ValidationError):
        MonitoringEnded(reason="moved_away", division_code="14072410")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "王" * 51}, "name"),
        ({"name": "王芳1"}, "name"),
        ({"name": "王\x00芳"}, "name"),
        ({"name": 12}, "name"),
        ({"name": "王芳", "phone": "12345"}, "phone"),
        ({"name": "王芳", "at": "0001-01-01T00:00:00"}, "at"),
        ({"name": "王芳", "at": "9999-12-31T00:00:00"}, "at"),
    ],
)
def test_a_helpers_name_and_phone_are_checked(body, field):
    with pytest.raises(ValidationError) as refused:
        HelperNamed.model_validate(body)
    assert [error["loc"][0] for error in refused.value.errors()] == [field]


def test_names_in_chinese_latin_or_transcribed_are_names():
    for name in ("王芳", "艾力·买买提", "John Smith", " 李娜 "):
        assert HelperNamed(name=name, phone="0354-1234567").name == name.strip()


def test_the_helpers_name_is_the_holders_and_the_centres_and_masked_for_everyone_else():
    state = monitoring_state()
    assert helper_as_seen_by(state, DAZHAI, DAZHAI_STATION).name == "王芳"
    assert helper_as_seen_by(state, DAZHAI, CENTRE).phone == "13800000000"
    for caller in (COMMITTEE, PINGTOU_STATION):
        seen = helper_as_seen_by(state, DAZHAI, caller)
        assert (seen.name, seen.phone) == ("王*", "138****0000")
    assert helper_as_seen_by(replace(state, helper_named_at=None), DAZHAI, DAZHAI_STATION) is None


def monitoring_state() -> Monitoring:
    return Monitoring(helper_name="王芳", helper_phone="13800000000", helper_named_at=utcnow())
