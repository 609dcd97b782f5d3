"""Referring reports and acting on referrals, on storage kept in memory: the use cases' own logic, without
a database (tests/integration runs the same on PostgreSQL and Kafka)."""

from datetime import timedelta

import pytest
from pydantic import ValidationError

from services.referral.application.acting import Act
from services.referral.application.referring import Referrer
from services.referral.domain.case_codes import Outcome
from services.referral.domain.gazetteer import Division, Gazetteer
from services.referral.domain.repeats import RepeatRule
from services.referral.domain.routing import Station
from services.referral.entrypoints.http.action_requests import Contact, HomeVisit
from shared.domain.access import Principal, Role
from shared.domain.codes import AssigneeKind, Concern, Priority
from shared.domain.divisions import DivisionLevel
from shared.domain.problems import Conflict, FieldProblems, NotFound
from shared.domain.referrals import ReferralAction, ReferralStatus
from shared.events import ReferralActionRecorded, ReferralAssigned, ReportedChild, ReportLinked, utcnow
from tests.factories import VALID_CHILD_ID, report_received
from tests.fakes.referral_repositories import InMemoryTransactions

DAZHAI, XIYANG = "140724104", "140724"
GAZETTEER = Gazetteer(
    [
        Division("14", "山西省", DivisionLevel.PROVINCE),
        Division("1407", "晋中市", DivisionLevel.CITY),
        Division(XIYANG, "昔阳县", DivisionLevel.COUNTY),
        Division(DAZHAI, "大寨镇", DivisionLevel.TOWNSHIP),
    ]
)
STATIONS = [
    Station(DAZHAI, AssigneeKind.STATION, "大寨镇工作站"),
    Station(XIYANG, AssigneeKind.COUNTY_CENTRE, "昔阳县救助保护中心"),
]
DAZHAI_STATION = Principal("dazhai", Role.STATION, DAZHAI)
REPEATS = RepeatRule(window=timedelta(days=30), reports_that_raise=3)


@pytest.fixture
def storage() -> InMemoryTransactions:
    return InMemoryTransactions(STATIONS)


@pytest.fixture
def referrer(storage) -> Referrer:
    return Referrer(storage, lambda: GAZETTEER, b"test-only-child-key-secret", REPEATS)


@pytest.fixture
def act(storage) -> Act:
    return Act(storage, lambda: GAZETTEER)


def about_one_child(concern: Concern = Concern.HARDSHIP):
    child = ReportedChild(division_code=DAZHAI, age=9, id_number=VALID_CHILD_ID)
    return report_received(DAZHAI, child=child, concerns=[concern])


def announced(storage: InMemoryTransactions, event_type: type) -> list:
    return [event for event, _ in storage.rows.outbox if isinstance(event, event_type)]


async def test_a_report_opens_a_referral_with_its_townships_station(storage, referrer):
    report = report_received(DAZHAI)

    await referrer.refer_many([report])

    referral = storage.rows.of_report(report.report_id)
    assert (referral.status, referral.assignee_code, referral.priority) == (
        ReferralStatus.ASSIGNED,
        DAZHAI,
        Priority.P2,
    )
    assert [(entry.action, entry.detail["reason"]) for entry in storage.rows.history] == [
        ("assigned", "township_station")
    ]
    assert [event.reason for event in announced(storage, ReferralAssigned)] == ["routed"]


async def test_a_repeat_report_is_linked_to_the_childs_open_referral(storage, referrer):
    first, repeat = about_one_child(), about_one_child()

    await referrer.refer_many([first])
    await referrer.refer_many([repeat])

    referral = storage.rows.of_report(repeat.report_id)
    assert referral.report_id == first.report_id
    assert (referral.report_count, storage.rows.reports[repeat.report_id].linked) == (2, True)
    assert [event.reports_in_window for event in announced(storage, ReportLinked)] == [2]


async def test_the_third_report_raises_the_priority_once(storage, referrer):
    reports = [about_one_child() for _ in range(4)]

    for report in reports[:3]:
        await referrer.refer_many([report])
    assert storage.rows.of_report(reports[0].report_id).priority is Priority.P2  # from P3
    await referrer.refer_many([reports[3]])

    referral = storage.rows.of_report(reports[0].report_id)
    assert (referral.priority, referral.report_count) == (Priority.P2, 4)
    raised = [e for e in announced(storage, ReferralActionRecorded) if e.action is ReferralAction.PRIORITY_RAISED]
    assert [event.detail for event in raised] == [
        {"from": "P3", "to": "P2", "reason": "repeat_reports", "reports_in_window": 3}
    ]


async def test_a_station_acknowledges_then_closes(storage, referrer, act):
    report = report_received(DAZHAI)
    await referrer.refer_many([report])
    referral_id = storage.rows.of_report(report.report_id).referral_id

    await act(referral_id, DAZHAI_STATION, lambda referral, context: referral.acknowledge(context, "已签收"))
    closed = await act(referral_id, DAZHAI_STATION, lambda referral, context: referral.close(context, Outcome.RESOLVED))

    assert (closed.status, closed.outcome, closed.version) == (ReferralStatus.CLOSED, Outcome.RESOLVED, 3)
    recorded = announced(storage, ReferralActionRecorded)
    assert [(event.action, event.status) for event in recorded] == [
        (ReferralAction.ACKNOWLEDGED, ReferralStatus.ACKNOWLEDGED),
        (ReferralAction.CLOSED, ReferralStatus.CLOSED),
    ]
    assert storage.rows.history[-2].detail == {"notes": "已签收"}  # notes in the history, never in events
    assert [action for _, action, _ in storage.rows.audit] == ["acknowledged", "closed"]


async def test_a_refused_step_changes_nothing(storage, referrer, act):
    report = report_received(DAZHAI)
    await referrer.refer_many([report])
    before = storage.rows.of_report(report.report_id)
    outbox = list(storage.rows.outbox)

    with pytest.raises(Conflict, match="请先签收"):
        await act(
            before.referral_id, DAZHAI_STATION, lambda referral, context: referral.close(context, Outcome.RESOLVED)
        )
    elsewhere = Principal("pingtou", Role.STATION, "140725103")
    with pytest.raises(NotFound):
        await act(before.referral_id, elsewhere, lambda referral, context: referral.acknowledge(context))

    assert storage.rows.of_report(report.report_id) == before
    assert storage.rows.outbox == outbox


def test_repeat_reports_raise_a_new_referral_from_the_number_on_and_an_open_one_at_the_number():
    assert [REPEATS.raises(count, opening=True) for count in (2, 3, 4)] == [False, True, True]
    assert [REPEATS.raises(count, opening=False) for count in (2, 3, 4)] == [False, True, False]


async def test_a_step_stated_as_before_the_report_came_in_is_refused_naming_at(storage, referrer, act):
    report = report_received(DAZHAI, received_at=utcnow() - timedelta(hours=2))
    await referrer.refer_many([report])
    referral_id = storage.rows.of_report(report.report_id).referral_id
    await act(referral_id, DAZHAI_STATION, lambda referral, context: referral.acknowledge(context))
    before = storage.rows.referrals[referral_id]

    too_early = report.received_at - timedelta(minutes=1)
    with pytest.raises(FieldProblems) as refused:
        await act(referral_id, DAZHAI_STATION, lambda referral, context: referral.record_home_visit(context, too_early))
    assert [(problem.field, problem.code) for problem in refused.value.problems] == [("at", "before_received")]
    assert storage.rows.referrals[referral_id] == before

    visited = await act(
        referral_id, DAZHAI_STATION, lambda referral, context: referral.record_home_visit(context, report.received_at)
    )
    assert visited.home_visit_at == visited.first_contact_at == report.received_at


@pytest.mark.parametrize(
    "at",
    ["1900-01-01T09:00:00+08:00", "0001-01-01T00:00:00", "0001-01-01T00:00:00-14:00", "2999-01-01T00:00:00Z"],
)
def test_a_stated_time_outside_the_window_is_refused_at_the_edge(at):
    with pytest.raises(ValidationError) as refused:
        HomeVisit.model_validate({"at": at})
    assert [error["loc"] for error in refused.value.errors()] == [("at",)]
    future = (utcnow() + timedelta(hours=1)).isoformat()
    with pytest.raises(ValidationError):
        Contact.model_validate({"method": "phone", "at": future})
