"""The unrouted queue's clocks and clocks that follow the case, on storage in memory: the dispatch deadline,
the stage clocks paused while a referral waits unrouted and started again for its next holder."""

import uuid
from datetime import timedelta

from services.notification.application.case_actions import act_on_clocks
from services.notification.application.clocks import Rules, start_or_move
from services.notification.application.unrouted_clocks import wait_for_dispatch
from services.notification.domain.deadlines import DEFAULT_POLICY, DeadlineStatus, Limit
from services.notification.domain.notices import HOTLINE_CODE, Audience, NoticeKind, notices_for_alert
from services.notification.domain.policy import from_document, to_document
from services.notification.domain.timers import TimerKind
from shared.domain.codes import Priority
from shared.domain.divisions import common_area
from shared.domain.referrals import OPENING_STAGES, ReferralAction, ReferralStatus, Stage
from shared.events import DeadlineBreached, DeadlineScheduled, ReferralActionRecorded, ReferralUnrouted, utcnow
from tests.factories import referral_assigned
from tests.fakes.notification_repositories import InMemoryClockTransaction

RULES = Rules()
AREA = "990101001"  # a township with no station and no centre


def unrouted(priority: Priority = Priority.P1, version: int = 1, **overrides) -> ReferralUnrouted:
    values = {
        "referral_id": uuid.uuid4(),
        "report_id": uuid.uuid4(),
        "reason": "no_station_covers_division",
        "priority": priority,
        "version": version,
        "area_code": AREA,
    }
    return ReferralUnrouted(**(values | overrides))


def placed(waiting: ReferralUnrouted, version: int, reason: str = "dispatched", code: str = "140724104"):
    return referral_assigned(
        referral_id=waiting.referral_id,
        report_id=waiting.report_id,
        priority=waiting.priority,
        assignee_code=code,
        version=version,
        reason=reason,
    )


def deadlines(store: InMemoryClockTransaction, referral_id):
    """The referral's clocks but the hotline's callback (see test_follow_up_clocks)."""
    return {stage: d for stage, d in store.clocks.of(referral_id).items() if stage is not Stage.CALLBACK}


async def test_an_unrouted_p1_gets_a_fifteen_minute_dispatch_deadline_and_the_hotline_is_told():
    store, waiting = InMemoryClockTransaction(), unrouted(Priority.P1)
    told = await wait_for_dispatch(store, [waiting], RULES)
    [dispatch] = deadlines(store, waiting.referral_id).values()
    assert (dispatch.stage, dispatch.assignee_code, dispatch.area_code) == (Stage.DISPATCH, HOTLINE_CODE, AREA)
    assert dispatch.due.at - waiting.occurred_at == timedelta(minutes=15)
    fires = {kind: store.clocks.timers[(dispatch.deadline_id, kind)] - waiting.occurred_at for kind in TimerKind}
    assert fires == {
        TimerKind.REMINDER: timedelta(minutes=11, seconds=15),
        TimerKind.BREACH: timedelta(minutes=15),
        TimerKind.SUPERVISION: timedelta(minutes=15),  # a P1 breach goes to the committee at once
    }
    [(event, _key), (callback, _key)] = store.outbox.events
    assert isinstance(event, DeadlineScheduled) and event.stage is Stage.DISPATCH
    assert (callback.stage, callback.assignee_code) == (Stage.CALLBACK, HOTLINE_CODE)  # it opens unrouted
    assert [(cause, notice.kind, notice.audience) for cause, notice in told] == [
        (waiting.event_id, NoticeKind.UNROUTED, Audience.HOTLINE)
    ]
    assert await wait_for_dispatch(store, [waiting], RULES) == []  # redelivered: nothing more


async def test_dispatching_meets_the_dispatch_deadline_and_starts_the_stations_clocks():
    store, waiting = InMemoryClockTransaction(), unrouted(Priority.P2)
    await wait_for_dispatch(store, [waiting], RULES)
    dispatched = placed(waiting, version=2)
    told = await start_or_move(store, [dispatched], RULES)
    clocks = deadlines(store, waiting.referral_id)
    assert (clocks[Stage.DISPATCH].status, clocks[Stage.DISPATCH].met_at) == (
        DeadlineStatus.MET,
        dispatched.assigned_at,
    )
    assert {stage: clocks[stage].status for stage in OPENING_STAGES} == dict.fromkeys(
        OPENING_STAGES, DeadlineStatus.PENDING
    )
    assert {clocks[stage].assignee_code for stage in OPENING_STAGES} == {"140724104"}
    assert [cause for cause, _notice in told] == [dispatched.event_id]
    assert not [key for key in store.clocks.timers if key[0] == clocks[Stage.DISPATCH].deadline_id]


async def test_a_decline_into_the_queue_pauses_the_stations_clocks_and_the_next_holder_gets_them_again():
    store, assigned = InMemoryClockTransaction(), referral_assigned(priority=Priority.P2, version=1)
    await start_or_move(store, [assigned], RULES)
    await act_on_clocks(store, action(assigned, ReferralAction.ACKNOWLEDGED, version=2), RULES)
    waiting = unrouted(Priority.P2, version=3, referral_id=assigned.referral_id, report_id=assigned.report_id)
    await wait_for_dispatch(store, [waiting], RULES)

    clocks = deadlines(store, assigned.referral_id)
    station_held = [d for d in clocks.values() if d.assignee_code == assigned.assignee_code]
    assert [(d.stage, d.status) for d in station_held] == [(Stage.ACKNOWLEDGE, DeadlineStatus.MET)]
    paused = [stage for stage, d in clocks.items() if d.status is DeadlineStatus.PAUSED]
    assert sorted(paused) == sorted([Stage.FIRST_CONTACT, Stage.HOME_VISIT, Stage.ASSESSMENT])
    assert {clocks[stage].assignee_code for stage in paused} == {HOTLINE_CODE}
    timers_of = {key[0] for key in store.clocks.timers}
    callback = store.clocks.of(assigned.referral_id)[Stage.CALLBACK]
    assert timers_of == {clocks[Stage.DISPATCH].deadline_id, callback.deadline_id}  # the holder's are paused

    before = {stage: clocks[stage].deadline_id for stage in paused}
    dispatched = placed(waiting, version=4, code="140725103")
    await start_or_move(store, [dispatched], RULES)
    clocks = deadlines(store, assigned.referral_id)
    assert {stage: clocks[stage].deadline_id for stage in paused} == before
    assert {(clocks[stage].status, clocks[stage].assignee_code, clocks[stage].starts_at) for stage in paused} == {
        (DeadlineStatus.PENDING, "140725103", dispatched.assigned_at)
    }
    assert clocks[Stage.FIRST_CONTACT].due.at == dispatched.assigned_at + timedelta(hours=24)
    assert (clocks[Stage.ACKNOWLEDGE].status, clocks[Stage.DISPATCH].status) == (DeadlineStatus.MET,) * 2


async def test_a_late_unrouted_event_changes_nothing_and_a_late_assignment_neither():
    store, assigned = InMemoryClockTransaction(), referral_assigned(version=4)
    await start_or_move(store, [assigned], RULES)
    late = unrouted(version=3, referral_id=assigned.referral_id, report_id=assigned.report_id)
    assert await wait_for_dispatch(store, [late], RULES) == []
    assert {d.status for d in deadlines(store, assigned.referral_id).values()} == {DeadlineStatus.PENDING}

    store, waiting = InMemoryClockTransaction(), unrouted(version=5)
    await wait_for_dispatch(store, [waiting], RULES)
    assert await start_or_move(store, [placed(waiting, version=4)], RULES) == []
    assert [d.stage for d in deadlines(store, waiting.referral_id).values()] == [Stage.DISPATCH]


async def test_a_new_priority_retimes_the_dispatch_deadline():
    store, waiting = InMemoryClockTransaction(), unrouted(Priority.P3)
    await wait_for_dispatch(store, [waiting], RULES)
    raised = ReferralActionRecorded(
        referral_id=waiting.referral_id,
        report_id=waiting.report_id,
        version=2,
        action=ReferralAction.PRIORITY_CHANGED,
        actor="county_centre:140724",
        at=utcnow(),
        status=ReferralStatus.UNROUTED,
        assignee_code=None,
        priority=Priority.P1,
    )
    await act_on_clocks(store, raised, RULES)
    [dispatch] = deadlines(store, waiting.referral_id).values()
    assert dispatch.due.at - waiting.occurred_at == timedelta(minutes=15)


def test_a_policy_stored_before_the_dispatch_stage_takes_its_defaults():
    document = to_document(DEFAULT_POLICY)
    del document["dispatch"]
    policy = from_document(document)
    assert policy[Stage.DISPATCH] == {
        Priority.P1: Limit(hours=0.25),
        Priority.P2: Limit(hours=1),
        Priority.P3: Limit(working_days=1),
    }
    assert list(to_document(policy)) == [stage.value for stage in Stage]


def test_a_dispatch_breach_goes_to_the_hotline_and_its_supervision_to_the_committee_of_the_childs_area():
    now = utcnow()
    common = dict(referral_id=uuid.uuid4(), report_id=uuid.uuid4(), stage=Stage.DISPATCH, priority=Priority.P1)
    times = dict(assignee_code=HOTLINE_CODE, due_at=now, fire_at=now, late=False, area_code=AREA)
    breach = DeadlineBreached(deadline_id=uuid.uuid4(), **common, **times, notify=["hotline", "committee"])
    notices = notices_for_alert(breach)
    assert [(notice.audience, notice.about_code) for notice in notices] == [
        (Audience.HOTLINE, AREA),
        (Audience.COMMITTEE, AREA),
    ]
    assert "人工分派" in notices[0].subject and "12345热线" in notices[0].body


def test_the_area_of_a_referral_with_candidates_is_the_smallest_division_holding_them_all():
    assert common_area(["140724104", "140724203"]) == "140724"
    assert common_area(["140724104", "140725103"]) == "1407"
    assert common_area(["140724104", "442000001"]) is None
    assert common_area([]) is None


def action(assigned, name: ReferralAction, version: int) -> ReferralActionRecorded:
    return ReferralActionRecorded(
        referral_id=assigned.referral_id,
        report_id=assigned.report_id,
        version=version,
        action=name,
        actor=f"station:{assigned.assignee_code}",
        at=assigned.assigned_at + timedelta(minutes=10),
        status=ReferralStatus.ACKNOWLEDGED,
        assignee_code=assigned.assignee_code,
        priority=assigned.priority,
    )
