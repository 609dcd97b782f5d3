"""Starting, moving, re-timing and stopping the clocks of a referral's stages, from referral events.

Each stage's deadline and its timers are rows; a completion that arrives before the assignment that
starts the clock is kept and applied when the clock starts. The holder of a referral is notified when it
arrives, in the same transaction.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

import asyncpg

from services.notification.deadlines import COMPLETES, DEFAULT_POLICY, Stage, deadline_for, timer_points
from services.notification.notices import notice_for_assignment
from services.notification.notifications import record_notices
from services.notification.policies import VersionedPolicy
from services.notification.retiming import retime_running_stages
from services.notification.workdays import LIBRARY_ONLY, WorkCalendar
from shared.events import DeadlineScheduled, ReferralAction, ReferralActionRecorded, ReferralAssigned
from shared.inbox import claim_event, claim_events
from shared.locks import hold
from shared.outbox import enqueue_many


@dataclass(frozen=True)
class Rules:
    """The policy and the calendar a new deadline is computed by."""

    policy: VersionedPolicy = VersionedPolicy(0, DEFAULT_POLICY)
    calendar: WorkCalendar = LIBRARY_ONLY
    channels: frozenset[str] = frozenset({"webhook"})  # the delivery channels this service has


async def start_or_move_clocks(pool: asyncpg.Pool, assigned: ReferralAssigned, rules: Rules = Rules()) -> None:
    await start_or_move_many_clocks(pool, [assigned], rules)


async def start_or_move_many_clocks(
    pool: asyncpg.Pool, assignments: list[ReferralAssigned], rules: Rules = Rules()
) -> None:
    """A batch of assignments in one transaction. The clocks of referrals new to this service start together,
    in a few round trips for the whole batch; a move, or a referral assigned twice in the batch, is applied
    on its own, in the batch's order."""
    async with pool.acquire() as connection, connection.transaction():
        fresh = await claim_events(connection, assignments)
        await hold(connection, [str(assigned.referral_id) for assigned in fresh])
        so_far = await _clocks_so_far(connection, [assigned.referral_id for assigned in fresh])
        times_assigned = Counter(assigned.referral_id for assigned in fresh)
        starts = [
            assigned
            for assigned in fresh
            if so_far[assigned.referral_id].holder_version is None and times_assigned[assigned.referral_id] == 1
        ]
        await _start_clocks(connection, [(assigned, so_far[assigned.referral_id]) for assigned in starts], rules)
        notified, started = list(starts), {assigned.event_id for assigned in starts}
        for assigned in fresh:
            if assigned.event_id not in started and await _start_or_move_alone(connection, assigned, rules):
                notified.append(assigned)
        notices = [(assigned.event_id, notice_for_assignment(assigned)) for assigned in notified]
        await record_notices(connection, notices, rules.channels)


async def _start_or_move_alone(connection: asyncpg.Connection, assigned: ReferralAssigned, rules: Rules) -> bool:
    """True when the holder is to be told: the clocks started or moved to them."""
    so_far = (await _clocks_so_far(connection, [assigned.referral_id]))[assigned.referral_id]
    if so_far.holder_version is None:
        await _start_clocks(connection, [(assigned, so_far)], rules)
        return True
    if so_far.holder_version < assigned.version:
        # Declined or reassigned: the clocks run on, for the new holder.
        await connection.execute(
            "UPDATE deadlines SET assignee_code = $2, assignee_version = $3 "
            "WHERE referral_id = $1 AND status = 'pending'",
            assigned.referral_id,
            assigned.assignee_code,
            assigned.version,
        )
        return True
    return False  # an older move, overtaken by a newer one


@dataclass(frozen=True)
class ClocksSoFar:
    """What is known of a referral when an assignment arrives: the holder its clocks run for (None before
    they start), and the completions and closing that arrived before the clocks started."""

    holder_version: int | None
    completed: dict[str, datetime]
    closed: bool


async def _clocks_so_far(connection: asyncpg.Connection, referral_ids: list[UUID]) -> dict[UUID, ClocksSoFar]:
    rows = await connection.fetch(
        "SELECT r.referral_id, "
        "(SELECT max(assignee_version) FROM deadlines d WHERE d.referral_id = r.referral_id) AS holder_version, "
        "EXISTS (SELECT 1 FROM closed_referrals c WHERE c.referral_id = r.referral_id) AS closed, "
        "ARRAY(SELECT stage FROM stage_completions s WHERE s.referral_id = r.referral_id ORDER BY stage) "
        "AS stages, "
        "ARRAY(SELECT completed_at FROM stage_completions s WHERE s.referral_id = r.referral_id ORDER BY stage) "
        "AS completed_at "
        "FROM unnest($1::uuid[]) AS r(referral_id)",
        list(set(referral_ids)),
    )
    return {
        row["referral_id"]: ClocksSoFar(
            row["holder_version"], dict(zip(row["stages"], row["completed_at"], strict=True)), row["closed"]
        )
        for row in rows
    }


async def _start_clocks(
    connection: asyncpg.Connection, starts: list[tuple[ReferralAssigned, ClocksSoFar]], rules: Rules
) -> None:
    """Every stage's deadline, its timers and its DeadlineScheduled, for all the referrals at once."""
    deadlines, timers, scheduled = [], [], []
    for assigned, so_far in starts:
        for stage in Stage:
            due = deadline_for(stage, assigned.priority, assigned.assigned_at, rules.policy.limits, rules.calendar)
            completed_at = so_far.completed.get(stage.value)
            status = "met" if completed_at else "cancelled" if so_far.closed else "pending"
            deadline_id = uuid4()
            deadlines.append(
                (
                    deadline_id,
                    assigned.referral_id,
                    assigned.report_id,
                    stage.value,
                    assigned.priority.value,
                    assigned.assignee_code,
                    assigned.assigned_at,
                    due.at,
                    due.provisional,
                    status,
                    completed_at,
                    assigned.version,
                    rules.policy.version or None,
                )
            )
            if status != "pending":
                continue
            points = timer_points(assigned.assigned_at, due.at, assigned.priority)
            timers += [(uuid4(), deadline_id, kind.value, fire_at) for kind, fire_at in points.items()]
            event = DeadlineScheduled(
                deadline_id=deadline_id,
                referral_id=assigned.referral_id,
                report_id=assigned.report_id,
                stage=stage.value,
                priority=assigned.priority,
                assignee_code=assigned.assignee_code,
                due_at=due.at,
                provisional=due.provisional,
            )
            scheduled.append((event, str(assigned.referral_id)))
    if deadlines:
        await connection.executemany(
            "INSERT INTO deadlines (deadline_id, referral_id, report_id, stage, priority, assignee_code, "
            "starts_at, due_at, provisional, status, met_at, assignee_version, policy_version, priority_version) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12)",
            deadlines,
        )
    if timers:
        await connection.executemany(
            "INSERT INTO timers (timer_id, deadline_id, kind, fire_at) VALUES ($1, $2, $3, $4)", timers
        )
    if scheduled:
        await enqueue_many(connection, scheduled)


PRIORITY_ACTIONS = (ReferralAction.PRIORITY_CHANGED, ReferralAction.PRIORITY_RAISED)


async def apply_action(pool: asyncpg.Pool, action: ReferralActionRecorded, rules: Rules = Rules()) -> None:
    """A completed stage stops its clock; closing the referral stops them all; a new priority re-times the
    stages still running, from when their clocks started."""
    stages = [stage.value for stage in COMPLETES.get(action.action.value, ())]
    if not stages and action.action not in (ReferralAction.CLOSED, *PRIORITY_ACTIONS):
        return
    async with pool.acquire() as connection, connection.transaction():
        if not await claim_event(connection, action):
            return
        # Assignments and actions come on different topics at once: without the hold, a completion could land
        # between an assignment's reading of the completions and its writing of the deadlines.
        await hold(connection, [str(action.referral_id)])
        if stages:
            await _complete(connection, action.referral_id, stages, action.at)
        elif action.action in PRIORITY_ACTIONS:
            await retime_running_stages(connection, action, rules.calendar)
        else:
            await connection.execute(
                "INSERT INTO closed_referrals (referral_id, closed_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                action.referral_id,
                action.at,
            )
            await _finish(connection, action.referral_id, None, "cancelled", action.at)


async def _complete(connection: asyncpg.Connection, referral_id: UUID, stages: list[str], at: datetime) -> None:
    for stage in stages:
        await connection.execute(
            "INSERT INTO stage_completions (referral_id, stage, completed_at) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING",
            referral_id,
            stage,
            at,
        )
    await _finish(connection, referral_id, stages, "met", at)


async def _finish(
    connection: asyncpg.Connection, referral_id: UUID, stages: list[str] | None, status: str, at: datetime
) -> None:
    """Ends the pending deadlines (of these stages, or all) and cancels their timers."""
    ended = await connection.fetch(
        "UPDATE deadlines SET status = $3, met_at = CASE WHEN $3 = 'met' THEN $4::timestamptz END "
        "WHERE referral_id = $1 AND status = 'pending' AND ($2::text[] IS NULL OR stage = ANY($2)) "
        "RETURNING deadline_id",
        referral_id,
        stages,
        status,
        at,
    )
    await connection.execute(
        "UPDATE timers SET status = 'cancelled' WHERE status = 'pending' AND deadline_id = ANY($1::uuid[])",
        [row["deadline_id"] for row in ended],
    )
