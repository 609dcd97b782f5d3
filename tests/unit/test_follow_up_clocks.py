"""The police's stages, the hotline's callback, and the notices of copies and priority changes, on storage in
memory."""

from datetime import timedelta

from services.notification.application.case_actions import act_on_clocks, callback_made
from services.notification.application.clocks import Rules, start_or_move
from services.notification.domain.deadlines import DeadlineStatus
from services.notification.domain.notices import HOTLINE_CODE, Audience, NoticeKind
from shared.domain.codes import Priority
from shared.domain.referrals import ReferralAction, ReferralStatus, Stage
from shared.events import CallbackRecorded, ReferralActionRecorded
from tests.factories import referral_assigned
from tests.fakes.notification_repositories import InMemoryClockTransaction

RULES = Rules()
CASE = "晋中-2026-000123"


def action(assigned, name: ReferralAction, version: int = 2, minutes: int = 10, **overrides) -> ReferralActionRecorded:
    values = {
        "referral_id": assigned.referral_id,
        "report_id": assigned.report_id,
        "version": version,
        "action": name,
        "actor": "station:140724104",
        "at": assigned.assigned_at + timedelta(minutes=minutes),
        "status": ReferralStatus.ACKNOWLEDGED,
        "assignee_code": assigned.assignee_code,
        "priority": assigned.priority,
        "case_number": CASE,
    }
    return ReferralActionRecorded(**(values | overrides))


def clocks(store, assigned):
    return store.clocks.of(assigned.referral_id)


async def test_a_police_required_p1_must_tell_the_police_within_two_hours_then_await_feedback_for_three_days():
    store = InMemoryClockTransaction()
    assigned = referral_assigned(priority=Priority.P1, police_required=True, case_number=CASE)
    await start_or_move(store, [assigned], RULES)
    notice = clocks(store, assigned)[Stage.POLICE_NOTICE]
    assert (notice.due.at - assigned.assigned_at, notice.assignee_code) == (timedelta(hours=2), "140724104")
    assert Stage.POLICE_FEEDBACK not in clocks(store, assigned)

    told = action(assigned, ReferralAction.POLICE_NOTIFIED, minutes=50)
    await act_on_clocks(store, told, RULES)
    feedback = clocks(store, assigned)[Stage.POLICE_FEEDBACK]
    assert clocks(store, assigned)[Stage.POLICE_NOTICE].status is DeadlineStatus.MET
    assert (feedback.starts_at, feedback.due.at - told.at) == (told.at, timedelta(days=3))
    assert feedback.status is DeadlineStatus.PENDING

    await act_on_clocks(store, action(assigned, ReferralAction.POLICE_FEEDBACK_RECORDED, version=3), RULES)
    assert clocks(store, assigned)[Stage.POLICE_FEEDBACK].status is DeadlineStatus.MET


async def test_no_police_clock_for_an_ordinary_case_until_it_becomes_police_required():
    store, assigned = InMemoryClockTransaction(), referral_assigned(priority=Priority.P2)
    await start_or_move(store, [assigned], RULES)
    assert Stage.POLICE_NOTICE not in clocks(store, assigned)
    linked = action(assigned, ReferralAction.PRIORITY_RAISED, priority=Priority.P1, detail={"police_required": "true"})
    await act_on_clocks(store, linked, RULES)
    notice = clocks(store, assigned)[Stage.POLICE_NOTICE]
    assert (notice.starts_at, notice.due.at - linked.at) == (linked.at, timedelta(hours=2))


async def test_the_police_clocks_move_with_the_holder_and_the_callback_stays_with_the_hotline():
    store = InMemoryClockTransaction()
    assigned = referral_assigned(priority=Priority.P2, police_required=True)
    moved = assigned.model_copy(update={"event_id": assigned.event_id.__class__(int=1), "assignee_code": "140725103"})
    await start_or_move(store, [assigned], RULES)
    await start_or_move(store, [moved.model_copy(update={"version": 3})], RULES)
    assert clocks(store, assigned)[Stage.POLICE_NOTICE].assignee_code == "140725103"
    assert clocks(store, assigned)[Stage.CALLBACK].assignee_code == HOTLINE_CODE


async def test_the_callback_runs_fifteen_working_days_survives_the_closing_and_is_met_by_the_callback():
    store, assigned = InMemoryClockTransaction(), referral_assigned(case_number=CASE)
    await start_or_move(store, [assigned], RULES)
    callback = clocks(store, assigned)[Stage.CALLBACK]
    assert RULES.policy.limits[Stage.CALLBACK][assigned.priority].working_days == 15
    assert timedelta(days=19) <= callback.due.at - assigned.assigned_at <= timedelta(days=30)
    await act_on_clocks(store, action(assigned, ReferralAction.CLOSED), RULES)
    assert clocks(store, assigned)[Stage.CALLBACK].status is DeadlineStatus.PENDING
    made = CallbackRecorded(
        report_id=assigned.report_id,
        referral_id=assigned.referral_id,
        reached=True,
        at=assigned.assigned_at + timedelta(days=2),
        recorded_by="operator:op1",
    )
    await callback_made(store, made)
    assert clocks(store, assigned)[Stage.CALLBACK].status is DeadlineStatus.MET


async def test_a_case_closed_again_after_a_reopening_gets_a_new_callback_from_that_closing():
    store, assigned = InMemoryClockTransaction(), referral_assigned()
    await start_or_move(store, [assigned], RULES)
    await act_on_clocks(store, action(assigned, ReferralAction.CLOSED), RULES)
    first = clocks(store, assigned)[Stage.CALLBACK]
    await store.clocks.complete(assigned.referral_id, [Stage.CALLBACK], assigned.assigned_at + timedelta(days=1))
    again = action(assigned, ReferralAction.CLOSED, version=5, minutes=60 * 24 * 5)
    await act_on_clocks(store, again, RULES)
    second = clocks(store, assigned)[Stage.CALLBACK]
    assert (second.deadline_id, second.status, second.starts_at) == (
        first.deadline_id,
        DeadlineStatus.PENDING,
        again.at,
    )


async def test_a_copy_tells_the_household_station_and_a_priority_change_tells_the_holder():
    store, assigned = InMemoryClockTransaction(), referral_assigned()
    await start_or_move(store, [assigned], RULES)
    copy = action(assigned, ReferralAction.INFORMATION_COPY_SENT, detail={"copy_to": "140702200"})
    [(cause, notice)] = await act_on_clocks(store, copy, RULES)
    assert (cause, notice.kind, notice.audience, notice.about_code) == (
        copy.event_id,
        NoticeKind.COPY,
        Audience.ASSIGNEE,
        "140702200",
    )
    assert CASE in notice.subject and str(assigned.referral_id) not in notice.body
    raised = action(assigned, ReferralAction.PRIORITY_CHANGED, version=3, priority=Priority.P1, detail={"from": "P2"})
    [(_, told)] = await act_on_clocks(store, raised, RULES)
    assert (told.kind, told.about_code) == (NoticeKind.PRIORITY, assigned.assignee_code)
    assert "由 P2 高 调整为 P1 紧急" in told.body
    acknowledge = clocks(store, assigned)[Stage.ACKNOWLEDGE]
    assert acknowledge.due.at - assigned.assigned_at == timedelta(minutes=30)  # re-timed to the P1 limit


async def test_the_police_feedback_runs_from_when_the_station_says_the_police_were_told():
    store = InMemoryClockTransaction()
    assigned = referral_assigned(priority=Priority.P1, police_required=True)
    await start_or_move(store, [assigned], RULES)
    told_at = assigned.assigned_at + timedelta(minutes=20)
    told = action(assigned, ReferralAction.POLICE_NOTIFIED, minutes=90, detail={"at": told_at.isoformat()})
    await act_on_clocks(store, told, RULES)
    assert clocks(store, assigned)[Stage.POLICE_FEEDBACK].due.at == told_at + timedelta(days=3)
