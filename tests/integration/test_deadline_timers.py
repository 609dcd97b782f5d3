"""Durable deadline timers on the real database, with a controllable clock: what fires, when, and only once."""

import asyncio
import json
import uuid
from datetime import timedelta

import pytest

from services.notification.app import MIGRATIONS
from services.notification.application.case_actions import apply_action
from services.notification.application.clocks import start_or_move_clocks, start_or_move_many_clocks
from services.notification.application.extensions import request_extension
from services.notification.application.timer_firing import TimerFiring
from services.notification.domain.delivery_channels import DeliveryChannel
from shared.database import apply_migrations, create_pool
from shared.domain.access import Principal, Role
from shared.domain.codes import Priority
from shared.events import ReferralAction, ReferralActionRecorded, utcnow
from shared.locks import hold
from tests.factories import referral_assigned


@pytest.fixture
async def pool(new_database):
    url = await new_database("timers")
    apply_migrations(url, MIGRATIONS)
    pool = await create_pool(url)
    yield pool
    await pool.close()


def action(assigned, name: ReferralAction, version: int = 2) -> ReferralActionRecorded:
    return ReferralActionRecorded(
        referral_id=assigned.referral_id,
        report_id=assigned.report_id,
        version=version,
        action=name,
        actor="station:140724104",
        at=assigned.assigned_at + timedelta(minutes=10),
        status="acknowledged",
        assignee_code=assigned.assignee_code,
        priority=assigned.priority,
    )


async def alerts(pool, referral_id=None) -> list[tuple[str, dict]]:
    rows = await pool.fetch(
        "SELECT event_type, payload FROM outbox "
        "WHERE event_type IN ('DeadlineReminderDue', 'DeadlineBreached', 'SupervisionIssued') ORDER BY id"
    )
    found = [(row["event_type"], json.loads(row["payload"])) for row in rows]
    return [item for item in found if referral_id is None or item[1]["referral_id"] == str(referral_id)]


async def test_a_p2_acknowledgement_reminds_breaches_and_supervises_on_time(pool):
    start = utcnow() - timedelta(hours=10)
    assigned = referral_assigned(priority=Priority.P2, assigned_at=start)
    await start_or_move_clocks(pool, assigned)
    fired = []
    for hours in (2.9, 3.0, 3.9, 4.0, 5.9, 6.0):  # the acknowledgement's 4 h: 75% = 3 h, breach 4 h, +50% = 6 h
        await TimerFiring(pool, clock=lambda h=hours: start + timedelta(hours=h)).fire_due()
        fired.append([(kind, alert["stage"]) for kind, alert in await alerts(pool, assigned.referral_id)])
    acknowledge = [[entry for entry in step if entry[1] == "acknowledge"] for step in fired]
    assert acknowledge == [
        [],
        [("DeadlineReminderDue", "acknowledge")],
        [("DeadlineReminderDue", "acknowledge")],
        [("DeadlineReminderDue", "acknowledge"), ("DeadlineBreached", "acknowledge")],
        [("DeadlineReminderDue", "acknowledge"), ("DeadlineBreached", "acknowledge")],
        [
            ("DeadlineReminderDue", "acknowledge"),
            ("DeadlineBreached", "acknowledge"),
            ("SupervisionIssued", "acknowledge"),
        ],
    ]
    [(_, breach)] = [item for item in await alerts(pool, assigned.referral_id) if item[0] == "DeadlineBreached"]
    assert (breach["notify"], breach["late"]) == (["county_centre"], False)


async def test_a_p1_breach_goes_to_the_centre_and_the_committee_at_once(pool):
    start = utcnow() - timedelta(hours=1)
    assigned = referral_assigned(priority=Priority.P1, assigned_at=start)
    await start_or_move_clocks(pool, assigned)
    await TimerFiring(pool, clock=lambda: start + timedelta(minutes=30)).fire_due()
    kinds = {(kind, tuple(alert["notify"])) for kind, alert in await alerts(pool) if alert["stage"] == "acknowledge"}
    assert kinds == {
        ("DeadlineReminderDue", ("station",)),
        ("DeadlineBreached", ("county_centre",)),
        ("SupervisionIssued", ("committee",)),
    }


async def test_a_completed_stage_stops_its_timers_and_closing_stops_all(pool):
    start = utcnow() - timedelta(days=30)
    assigned = referral_assigned(priority=Priority.P2, assigned_at=start)
    await start_or_move_clocks(pool, assigned)
    await apply_action(pool, action(assigned, ReferralAction.ACKNOWLEDGED))
    await apply_action(pool, action(assigned, ReferralAction.CLOSED, version=3))
    await TimerFiring(pool, clock=utcnow).fire_due()
    statuses = await pool.fetch(
        "SELECT stage, status FROM deadlines WHERE referral_id = $1 AND stage <> 'callback'", assigned.referral_id
    )
    assert dict((row["stage"], row["status"]) for row in statuses) == {
        "acknowledge": "met",
        "first_contact": "cancelled",
        "home_visit": "cancelled",
        "assessment": "cancelled",
    }
    # The hotline's callback runs on after the closing (15 working days from the report, a month ago).
    assert {alert["stage"] for _, alert in await alerts(pool, assigned.referral_id)} == {"callback"}


async def test_a_completion_that_arrives_before_the_assignment_is_kept(pool):
    assigned = referral_assigned(priority=Priority.P2, assigned_at=utcnow() - timedelta(days=1))
    await apply_action(pool, action(assigned, ReferralAction.HOME_VISIT_RECORDED))
    await start_or_move_clocks(pool, assigned)
    rows = await pool.fetch(
        "SELECT stage, status FROM deadlines WHERE referral_id = $1 AND stage <> 'callback'", assigned.referral_id
    )
    assert {row["stage"]: row["status"] for row in rows} == {
        "acknowledge": "pending",
        "first_contact": "met",
        "home_visit": "met",
        "assessment": "pending",
    }


async def test_a_move_carries_the_running_clocks_to_the_new_station_and_a_late_event_changes_nothing(pool):
    assigned = referral_assigned(priority=Priority.P2)
    await start_or_move_clocks(pool, assigned)
    moved = assigned.model_copy(update={"event_id": uuid.uuid4(), "assignee_code": "140725103", "version": 3})
    stale = assigned.model_copy(update={"event_id": uuid.uuid4(), "assignee_code": "140701001", "version": 2})
    await start_or_move_clocks(pool, moved)
    await start_or_move_clocks(pool, stale)
    rows = await pool.fetch(
        "SELECT assignee_code, due_at FROM deadlines WHERE referral_id = $1 AND stage <> 'callback'",
        assigned.referral_id,
    )
    assert {row["assignee_code"] for row in rows} == {"140725103"}


async def test_a_batch_of_assignments_ends_as_one_by_one_would(pool):
    first, second = referral_assigned(), referral_assigned(priority=Priority.P1)
    moving = referral_assigned(priority=Priority.P2)
    moved = moving.model_copy(update={"event_id": uuid.uuid4(), "assignee_code": "140725103", "version": 3})
    stale = moving.model_copy(update={"event_id": uuid.uuid4(), "assignee_code": "140701001", "version": 2})
    replayed = referral_assigned()
    await start_or_move_clocks(pool, replayed)

    await start_or_move_many_clocks(pool, [first, moving, replayed, second, moved, first, stale])

    rows = await pool.fetch("SELECT referral_id, assignee_code, priority FROM deadlines WHERE stage <> 'callback'")
    per_referral = {
        referral.referral_id: sorted(
            (row["assignee_code"], row["priority"]) for row in rows if row["referral_id"] == referral.referral_id
        )
        for referral in (first, second, moving, replayed)
    }
    assert per_referral == {
        first.referral_id: [(first.assignee_code, "P2")] * 4,
        second.referral_id: [(second.assignee_code, "P1")] * 4,
        moving.referral_id: [("140725103", "P2")] * 4,
        replayed.referral_id: [(replayed.assignee_code, "P2")] * 4,
    }
    scheduled = await pool.fetchval("SELECT count(*) FROM outbox WHERE event_type = 'DeadlineScheduled'")
    assert scheduled == 4 * 5  # four stages and the hotline's callback each
    ours = [event.event_id for event in (first, second, moving, moved, stale, replayed)]
    told = await pool.fetch(
        "SELECT cause_event_id, count(*) AS n FROM notifications WHERE cause_event_id = ANY($1) "
        "GROUP BY cause_event_id",
        ours,
    )
    notified_once = {event.event_id: 1 for event in (replayed, first, second, moving, moved)}  # not the stale move
    assert {row["cause_event_id"]: row["n"] for row in told} == notified_once


async def test_an_action_waits_while_an_assignment_of_its_referral_is_being_written(pool):
    assigned = referral_assigned(priority=Priority.P2)
    async with pool.acquire() as connection, connection.transaction():
        await hold(connection, [str(assigned.referral_id)])  # as an assignment's transaction does
        acting = asyncio.create_task(apply_action(pool, action(assigned, ReferralAction.ACKNOWLEDGED)))
        await asyncio.sleep(0.5)
        assert not acting.done()
    await asyncio.wait_for(acting, 10)
    await start_or_move_clocks(pool, assigned)
    statuses = await pool.fetch(
        "SELECT stage, status FROM deadlines WHERE referral_id = $1 AND stage <> 'callback'", assigned.referral_id
    )
    assert {row["stage"]: row["status"] for row in statuses}["acknowledge"] == "met"


async def test_a_timer_missed_while_the_service_was_down_fires_on_return_marked_late(pool):
    start = utcnow() - timedelta(days=2)
    assigned = referral_assigned(priority=Priority.P1, assigned_at=start)
    await start_or_move_clocks(pool, assigned)
    await TimerFiring(pool).fire_due()
    fired = [alert for _, alert in await alerts(pool, assigned.referral_id)]
    assert fired and all(alert["late"] for alert in fired)


async def test_two_schedulers_never_fire_a_timer_twice(pool, new_database):
    start = utcnow() - timedelta(days=60)
    for _ in range(150):  # 150 referrals x 5 stages (the callback too) x 3 timers = 2,250 timers, all due
        await start_or_move_clocks(pool, referral_assigned(priority=Priority.P2, assigned_at=start))
    due = await pool.fetchval("SELECT count(*) FROM timers WHERE status = 'pending'")
    schedulers = [TimerFiring(pool, batch=50), TimerFiring(pool, batch=50)]

    async def drain(scheduler: TimerFiring) -> int:
        total = 0
        while fired := await scheduler.fire_due():
            total += fired
        return total

    counts = await asyncio.gather(*(drain(scheduler) for scheduler in schedulers))
    fired_timers = [alert["deadline_id"] + alert_type for alert_type, alert in await alerts(pool)]
    assert due == 2250
    assert sum(counts) == len(fired_timers) == len(set(fired_timers)) == due
    assert all(count > 0 for count in counts)
    assert await pool.fetchval("SELECT count(*) FROM timers WHERE status = 'pending'") == 0


async def test_a_centres_priority_change_retimes_the_running_stages_and_an_older_change_does_not(pool):
    start = utcnow() - timedelta(hours=1)
    assigned = referral_assigned(priority=Priority.P2, assigned_at=start)
    await start_or_move_clocks(pool, assigned)
    raised = action(assigned, ReferralAction.PRIORITY_CHANGED, version=3).model_copy(update={"priority": Priority.P1})
    stale = action(assigned, ReferralAction.PRIORITY_CHANGED, version=2).model_copy(update={"priority": Priority.P3})
    await apply_action(pool, raised)
    await apply_action(pool, stale)

    rows = await pool.fetch(
        "SELECT stage, priority, due_at FROM deadlines WHERE referral_id = $1 AND stage <> 'callback'",
        assigned.referral_id,
    )
    due = {row["stage"]: row["due_at"] - start for row in rows}
    assert {row["priority"] for row in rows} == {"P1"}
    assert (due["acknowledge"], due["first_contact"], due["home_visit"]) == (
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=24),
    )
    # The acknowledgement is now 30 minutes past due: its breach and the P1 supervision fire at once.
    await TimerFiring(pool).fire_due()
    fired = {(kind, alert["stage"]) for kind, alert in await alerts(pool, assigned.referral_id)}
    assert ("DeadlineBreached", "acknowledge") in fired and ("SupervisionIssued", "acknowledge") in fired
    assert ("DeadlineBreached", "first_contact") not in fired
    rescheduled = await pool.fetchval(
        "SELECT count(*) FROM outbox WHERE event_type = 'DeadlineScheduled' AND payload::jsonb ->> 'priority' = 'P1'"
    )
    assert rescheduled == 4


async def test_a_fired_timer_is_not_fired_again_when_the_priority_falls(pool):
    start = utcnow() - timedelta(hours=5)
    assigned = referral_assigned(priority=Priority.P2, assigned_at=start)
    await start_or_move_clocks(pool, assigned)
    await TimerFiring(pool).fire_due()  # the acknowledgement's reminder and breach
    lowered = action(assigned, ReferralAction.PRIORITY_CHANGED, version=3).model_copy(update={"priority": Priority.P3})
    await apply_action(pool, lowered)
    await TimerFiring(pool).fire_due()
    kinds = [kind for kind, alert in await alerts(pool, assigned.referral_id) if alert["stage"] == "acknowledge"]
    assert sorted(kinds) == ["DeadlineBreached", "DeadlineReminderDue"]


async def test_a_reminder_says_when_a_request_for_more_time_waits(pool):
    start = utcnow() - timedelta(hours=1)
    assigned = referral_assigned(priority=Priority.P2, assigned_at=start, case_number="晋中-2026-000777")
    await start_or_move_clocks(pool, assigned)
    deadline_id = await pool.fetchval(
        "SELECT deadline_id FROM deadlines WHERE referral_id = $1 AND stage = 'acknowledge'", assigned.referral_id
    )
    station = Principal("s-1", Role.STATION, assigned.assignee_code)
    until = start + timedelta(hours=8)
    await request_extension(pool, station, deadline_id, "等候监护人返乡", until, frozenset({DeliveryChannel.WEBHOOK}))
    await TimerFiring(pool, clock=lambda: start + timedelta(hours=3, minutes=1)).fire_due()  # 75% of 4 h
    [body] = await pool.fetch(
        "SELECT body FROM notifications WHERE referral_id = $1 AND kind = 'reminder'", assigned.referral_id
    )
    assert "晋中-2026-000777" in body["body"] and body["body"].endswith("延期申请待审批。")
