"""The police's record and feedback, the closing rules, case numbers on what is announced, the household
station's copy, and reopening after a dissatisfied callback, on storage kept in memory."""

from datetime import timedelta
from uuid import uuid4

import pytest
from pydantic import ValidationError

from services.referral.application.acting import Act
from services.referral.application.referring import Referrer
from services.referral.application.reopening import Reopener
from services.referral.domain.gazetteer import Division, Gazetteer
from services.referral.domain.police import PoliceNotice
from services.referral.domain.routing import Station
from services.referral.entrypoints.http.action_requests import PoliceFeedbackGiven, PoliceNotified
from shared.domain.codes import AssigneeKind, Concern, Satisfaction
from shared.domain.divisions import DivisionLevel as L
from shared.domain.outcomes import Outcome
from shared.domain.police import PoliceFeedback
from shared.domain.problems import Conflict, FieldProblems
from shared.domain.referrals import ReferralAction, ReferralStatus
from shared.events import CallbackRecorded, ReferralActionRecorded, ReferralAssigned, ReportedChild, utcnow
from tests.factories import report_received
from tests.fakes.referral_repositories import InMemoryTransactions
from tests.unit.test_referral_use_cases import DAZHAI, DAZHAI_STATION, GAZETTEER, REPEATS, STATIONS, XIYANG, announced

PINGTOU = "140725103"
WITH_PINGTOU = Gazetteer(
    [*GAZETTEER.by_code.values(), Division("140725", "寿阳县", L.COUNTY), Division(PINGTOU, "平头镇", L.TOWNSHIP)]
)


@pytest.fixture
def storage() -> InMemoryTransactions:
    return InMemoryTransactions([*STATIONS, Station(PINGTOU, AssigneeKind.STATION, "平头镇工作站")])


@pytest.fixture
def referrer(storage) -> Referrer:
    return Referrer(storage, lambda: WITH_PINGTOU, b"test-only-child-key-secret", REPEATS)


@pytest.fixture
def act(storage) -> Act:
    return Act(storage, lambda: GAZETTEER)


async def opened(storage, referrer, act, concerns=(Concern.NEGLECT,), **overrides):
    report = report_received(DAZHAI, concerns=list(concerns), received_at=utcnow() - timedelta(hours=3), **overrides)
    await referrer.refer_many([report])
    referral = storage.rows.of_report(report.report_id)
    await act(referral.referral_id, DAZHAI_STATION, lambda r, c: r.acknowledge(c))
    return referral


def closing(outcome=Outcome.RESOLVED):
    return lambda referral, context: referral.close(context, outcome)


def police_told(minutes_ago=60, station="榆次分局郭家堡派出所", case_number="A140702202612001"):
    notice = PoliceNotice(utcnow() - timedelta(minutes=minutes_ago), station, case_number)
    return lambda referral, context: referral.record_police_notified(context, notice)


async def test_every_referral_gets_the_next_number_of_its_area_and_year(storage, referrer):
    reports = [report_received(DAZHAI) for _ in range(3)]
    await referrer.refer_many(reports[:2])
    await referrer.refer_many(reports[2:])
    year = reports[0].received_at.year
    numbers = [storage.rows.of_report(report.report_id).case_number for report in reports]
    assert numbers == [f"晋中-{year}-00000{n}" for n in (1, 2, 3)]
    assert {event.case_number for event in announced(storage, ReferralAssigned)} == set(numbers)


async def test_an_unplaced_report_is_numbered_under_the_hotline(storage, referrer):
    report = report_received(None, child=ReportedChild(address="某地", age=7))
    await referrer.refer_many([report])
    assert storage.rows.of_report(report.report_id).case_number.startswith("热线-")


async def test_a_police_case_closes_only_after_the_police_notice_and_a_contact(storage, referrer, act):
    referral = await opened(storage, referrer, act, concerns=[Concern.GUARDIAN_ABUSE])
    with pytest.raises(Conflict) as refused:
        await act(referral.referral_id, DAZHAI_STATION, closing())
    assert refused.value.missing == ("police_notice", "contact_or_visit")
    assert "报警记录" in refused.value.message and "联系或入户走访记录" in refused.value.message

    await act(referral.referral_id, DAZHAI_STATION, police_told())
    with pytest.raises(Conflict) as still:
        await act(referral.referral_id, DAZHAI_STATION, closing())
    assert still.value.missing == ("contact_or_visit",)

    await act(referral.referral_id, DAZHAI_STATION, lambda r, c: r.record_home_visit(c))
    closed = await act(referral.referral_id, DAZHAI_STATION, closing(Outcome.HANDED_TO_POLICE))
    assert closed.status is ReferralStatus.CLOSED


async def test_an_ordinary_case_closes_without_the_police(storage, referrer, act):
    referral = await opened(storage, referrer, act, concerns=[Concern.HARDSHIP])
    assert (await act(referral.referral_id, DAZHAI_STATION, closing())).status is ReferralStatus.CLOSED


async def test_the_police_notice_names_the_station_and_case_number_in_the_event(storage, referrer, act):
    referral = await opened(storage, referrer, act, concerns=[Concern.MISSING])
    told = await act(referral.referral_id, DAZHAI_STATION, police_told())
    assert (told.police_station, told.police_case_number) == ("榆次分局郭家堡派出所", "A140702202612001")
    [event] = [e for e in announced(storage, ReferralActionRecorded) if e.action is ReferralAction.POLICE_NOTIFIED]
    assert set(event.detail) == {"at", "police_station", "police_case_number"}
    assert event.case_number == told.case_number


async def test_police_feedback_comes_only_after_the_notice_and_not_before_it(storage, referrer, act):
    referral = await opened(storage, referrer, act, concerns=[Concern.MISSING])

    def feedback(minutes_ago=None):
        at = utcnow() - timedelta(minutes=minutes_ago) if minutes_ago else None
        return lambda r, c: r.record_police_feedback(c, PoliceFeedback.CASE_FILED, at, "派出所已立案侦查")

    with pytest.raises(Conflict) as refused:
        await act(referral.referral_id, DAZHAI_STATION, feedback())
    assert refused.value.missing == ("police_notice",)
    await act(referral.referral_id, DAZHAI_STATION, police_told(minutes_ago=60))
    with pytest.raises(FieldProblems) as too_early:
        await act(referral.referral_id, DAZHAI_STATION, feedback(minutes_ago=90))
    assert [p.field for p in too_early.value.problems] == ["at"]

    after = await act(referral.referral_id, DAZHAI_STATION, feedback())
    assert after.police_feedback is PoliceFeedback.CASE_FILED
    [event] = [e for e in announced(storage, ReferralActionRecorded) if e.action.value == "police_feedback_recorded"]
    assert event.detail["feedback"] == "case_filed" and "notes" not in event.detail
    assert storage.rows.history[-1].detail["notes"] == "派出所已立案侦查"


async def test_the_household_station_copy_is_announced_with_its_code(storage, referrer):
    report = report_received(DAZHAI, child=ReportedChild(division_code=DAZHAI, hukou_division_code=PINGTOU, age=8))
    await referrer.refer_many([report])
    [copy] = [e for e in announced(storage, ReferralActionRecorded) if e.action is ReferralAction.INFORMATION_COPY_SENT]
    assert copy.detail["copy_to"] == PINGTOU and copy.case_number


def callback(report_id, satisfaction=Satisfaction.DISSATISFIED, reached=True):
    return CallbackRecorded(
        report_id=report_id, reached=reached, satisfaction=satisfaction, at=utcnow(), recorded_by="operator:op"
    )


async def test_a_dissatisfied_callback_reopens_a_closed_case_with_the_county_centre(storage, referrer, act):
    referral = await opened(storage, referrer, act, concerns=[Concern.HARDSHIP])
    await act(referral.referral_id, DAZHAI_STATION, closing())
    dissatisfied = callback(referral.report_id)

    reopener = Reopener(storage)
    await reopener.on_callbacks([callback(referral.report_id, Satisfaction.SATISFIED), dissatisfied])
    await reopener.on_callbacks([dissatisfied])  # once only

    after = storage.rows.referrals[referral.referral_id]
    assert (after.status, after.assignee_code, after.closed_at, after.outcome) == (
        ReferralStatus.ASSIGNED,
        XIYANG,
        None,
        None,
    )
    reopened = [e for e in announced(storage, ReferralActionRecorded) if e.action is ReferralAction.REOPENED]
    assert [(e.detail["moved_to"], e.detail["outcome_before"]) for e in reopened] == [(XIYANG, "resolved")]
    assert [(e.reason, e.assignee_code) for e in announced(storage, ReferralAssigned)][-1] == ("reopened", XIYANG)
    assert sum(1 for e in announced(storage, ReferralAssigned) if e.reason == "reopened") == 1


async def test_a_callback_about_an_unknown_report_is_set_aside_quietly(storage):
    unknown = callback(uuid4())
    await Reopener(storage).on_callbacks([unknown])
    assert storage.rows.outbox == [] and unknown.event_id in storage.rows.processed


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "police_station"),
        ({"police_station": "  "}, "police_station"),
        ({"police_station": "派" * 61}, "police_station"),
        ({"police_station": "派出所", "police_case_number": "A1 2"}, "police_case_number"),
        ({"police_station": "派出所", "police_case_number": "9" * 41}, "police_case_number"),
        ({"police_station": 12}, "police_station"),
        ({"police_station": "派出所", "at": "0001-01-01T00:00:00"}, "at"),
        ({"police_station": "派出所", "at": "9999-12-31T23:59:59"}, "at"),
    ],
)
def test_a_bad_police_notice_is_refused_naming_its_field(body, field):
    with pytest.raises(ValidationError) as refused:
        PoliceNotified.model_validate(body)
    assert [error["loc"][0] for error in refused.value.errors()] == [field]


@pytest.mark.parametrize(("body", "field"), [({}, "feedback"), ({"feedback": "arrested"}, "feedback")])
def test_a_bad_police_feedback_is_refused_naming_its_field(body, field):
    with pytest.raises(ValidationError) as refused:
        PoliceFeedbackGiven.model_validate(body)
    assert [error["loc"][0] for error in refused.value.errors()] == [field]


async def test_a_priority_raised_by_repeat_reports_is_announced_with_the_case_number(storage, referrer):
    child = ReportedChild(division_code=DAZHAI, age=9, id_number="140724201503150029")
    reports = [report_received(DAZHAI, child=child, concerns=[Concern.HARDSHIP]) for _ in range(3)]
    for report in reports:
        await referrer.refer_many([report])
    number = storage.rows.of_report(reports[0].report_id).case_number
    raised = [e for e in announced(storage, ReferralActionRecorded) if e.action is ReferralAction.PRIORITY_RAISED]
    assert [(e.detail["reason"], e.case_number) for e in raised] == [("repeat_reports", number)]


async def test_a_case_with_no_county_centre_to_review_it_goes_to_the_unrouted_queue(storage, referrer, act):
    referral = await opened(storage, referrer, act, concerns=[Concern.HARDSHIP])
    del storage.rows.stations[XIYANG]
    await Reopener(storage).on_callbacks([callback(referral.report_id)])
    after = storage.rows.referrals[referral.referral_id]
    assert (after.status, after.assignee_code) == (ReferralStatus.UNROUTED, None)
