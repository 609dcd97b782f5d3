"""A referral's stage clocks, started, stopped and moved by referral events, on storage in memory."""

import uuid
from datetime import timedelta

from services.notification.application.case_actions import act_on_clocks
from services.notification.application.clocks import Rules, start_or_move
from services.notification.domain.deadlines import DeadlineStatus
from services.notification.domain.notices import HOTLINE_CODE, Audience, NoticeKind
from shared.domain.codes import Priority
from shared.domain.referrals import OPENING_STAGES, ReferralAction, ReferralStatus, Stage
from shared.events import DeadlineScheduled, ReferralActionRecorded
from tests.factories import referral_assigned
from tests.fakes.notification_repositories import InMemoryClockTransaction

RULES = Rules()


def action(assigned, name: ReferralAction, version: int = 2) -> ReferralActionRecorded:
    return ReferralActionRecorded(
        referral_id=assigned.referral_id,
        report_id=assigned.report_id,
        version=version,
        action=name,
        actor="station:140724104",
        at=assigned.assigned_at + timedelta(minutes=10),
        status=ReferralStatus.ACKNOWLEDGED,
        assignee_code=assigned.assignee_code,
        priority=assigned.priority,
    )


def statuses(store: InMemoryClockTransaction, assigned) -> dict[Stage, DeadlineStatus]:
    return {stage: deadline.status for stage, deadline in store.clocks.of(assigned.referral_id).items()}


async def test_an_assignment_starts_four_stages_and_the_callback_with_their_timers_and_tells_the_holder():
    store, assigned = InMemoryClockTransaction(), referral_assigned(priority=Priority.P2)
    told = await start_or_move(store, [assigned], RULES)
    assert statuses(store, assigned) == dict.fromkeys((*OPENING_STAGES, Stage.CALLBACK), DeadlineStatus.PENDING)
    assert len(store.clocks.timers) == 5 * 3
    acknowledge = store.clocks.of(assigned.referral_id)[Stage.ACKNOWLEDGE]
    assert acknowledge.due.at == assigned.assigned_at + timedelta(hours=4)
    callback = store.clocks.of(assigned.referral_id)[Stage.CALLBACK]
    assert (callback.assignee_code, callback.area_code) == (HOTLINE_CODE, assigned.assignee_code)
    assert [type(event) for event, _key in store.outbox.events] == [DeadlineScheduled] * 5
    assert [(cause, notice.kind) for cause, notice in told] == [(assigned.event_id, NoticeKind.ASSIGNED)]
    assert await start_or_move(store, [assigned], RULES) == [] and len(store.clocks.deadlines) == 5


async def test_a_completion_stops_its_stage_only():
    store, assigned = InMemoryClockTransaction(), referral_assigned()
    await start_or_move(store, [assigned], RULES)
    await act_on_clocks(store, action(assigned, ReferralAction.ACKNOWLEDGED), RULES)
    assert statuses(store, assigned) == dict.fromkeys((*OPENING_STAGES, Stage.CALLBACK), DeadlineStatus.PENDING) | {
        Stage.ACKNOWLEDGE: DeadlineStatus.MET
    }
    acknowledge = store.clocks.of(assigned.referral_id)[Stage.ACKNOWLEDGE]
    assert not [key for key in store.clocks.timers if key[0] == acknowledge.deadline_id]
    assert len(store.clocks.timers) == 4 * 3


async def test_a_completion_that_arrives_before_the_assignment_is_applied_when_the_clocks_start():
    store, assigned = InMemoryClockTransaction(), referral_assigned()
    await act_on_clocks(store, action(assigned, ReferralAction.HOME_VISIT_RECORDED), RULES)
    await start_or_move(store, [assigned], RULES)
    assert statuses(store, assigned) == {
        Stage.ACKNOWLEDGE: DeadlineStatus.PENDING,
        Stage.FIRST_CONTACT: DeadlineStatus.MET,
        Stage.HOME_VISIT: DeadlineStatus.MET,
        Stage.ASSESSMENT: DeadlineStatus.PENDING,
        Stage.CALLBACK: DeadlineStatus.PENDING,
    }
    assert len(store.outbox.events) == 3 and len(store.clocks.timers) == 3 * 3


async def test_closing_stops_every_clock_of_the_holder_and_tells_the_hotline_to_call_back():
    store, assigned = InMemoryClockTransaction(), referral_assigned(case_number="晋中-2026-000123")
    await start_or_move(store, [assigned], RULES)
    closed = action(assigned, ReferralAction.CLOSED).model_copy(update={"case_number": "晋中-2026-000123"})
    told = await act_on_clocks(store, closed, RULES)
    assert statuses(store, assigned) == dict.fromkeys(OPENING_STAGES, DeadlineStatus.CANCELLED) | {
        Stage.CALLBACK: DeadlineStatus.PENDING
    }
    assert len(store.clocks.timers) == 3
    [(_, notice)] = told
    assert (notice.kind, notice.audience) == (NoticeKind.CALLBACK_DUE, Audience.HOTLINE)
    assert "案件 晋中-2026-000123" in notice.subject


async def test_a_move_carries_the_clocks_to_the_new_holder_and_an_older_one_is_ignored():
    store, assigned = InMemoryClockTransaction(), referral_assigned()
    moved = assigned.model_copy(update={"event_id": uuid.uuid4(), "assignee_code": "140725103", "version": 3})
    stale = assigned.model_copy(update={"event_id": uuid.uuid4(), "assignee_code": "140701001", "version": 2})
    told = await start_or_move(store, [assigned, moved, stale], RULES)
    holders = {deadline.assignee_code for deadline in store.clocks.of(assigned.referral_id).values()}
    assert holders == {"140725103", HOTLINE_CODE}  # the callback stays with the hotline
    assert [cause for cause, _notice in told] == [assigned.event_id, moved.event_id]
