"""Starting and moving the clocks of a referral's stages, from its placements.

An assignment starts the clocks of a referral new to this service (and the hotline's callback clock), or
moves them to its new holder, who is told in the same transaction; it also meets the dispatch deadline of a
referral that waited unrouted (unrouted_clocks starts that one; case_actions applies what is done to the
referral). Each use case runs in one transaction of its own; its body runs on the ports of clock_ports, so
that it runs on memory in the unit tests.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from services.notification.adapters.clock_transaction import PostgresClockTransaction
from services.notification.application.addressing import record_notices
from services.notification.application.clock_ports import ClockTransaction
from services.notification.domain.deadlines import DeadlineStatus, deadline_for
from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.follow_up import callback_start, needs_callback, running_clock
from services.notification.domain.notices import AssignmentReason, Notice, notice_for_assignment
from services.notification.domain.policy import DEFAULTS_UNREAD, VersionedPolicy
from services.notification.domain.stage_clocks import ClocksSoFar, StageDeadline, start_clocks
from services.notification.domain.workdays import LIBRARY_ONLY, WorkCalendar
from shared.domain.batches import together_and_alone
from shared.domain.referrals import HOLDER_STAGES, Stage
from shared.events import ReferralAssigned

FIRST_PLACEMENTS = (AssignmentReason.ROUTED, AssignmentReason.DISPATCHED)


@dataclass(frozen=True)
class Rules:
    """The policy and the calendar a new deadline is computed by, and the delivery channels this service has."""

    policy: VersionedPolicy = DEFAULTS_UNREAD
    calendar: WorkCalendar = LIBRARY_ONLY
    channels: frozenset[DeliveryChannel] = frozenset({DeliveryChannel.WEBHOOK})


async def start_or_move_clocks(pool: asyncpg.Pool, assigned: ReferralAssigned, rules: Rules = Rules()) -> None:
    await start_or_move_many_clocks(pool, [assigned], rules)


async def start_or_move_many_clocks(
    pool: asyncpg.Pool, assignments: list[ReferralAssigned], rules: Rules = Rules()
) -> None:
    """A batch of assignments in one transaction, their holders told in it."""
    async with pool.acquire() as connection, connection.transaction():
        told = await start_or_move(PostgresClockTransaction.on(connection), assignments, rules)
        await record_notices(connection, told, rules.channels)


async def start_or_move(
    store: ClockTransaction, assignments: list[ReferralAssigned], rules: Rules
) -> list[tuple[UUID, Notice]]:
    """The clocks of referrals new to this service start together, in a few round trips for the whole batch;
    a move, or a referral assigned twice in the batch, is applied on its own, in the batch's order. Returns
    the notices to their holders, with the events that cause them."""
    fresh = await store.inbox.claim(assignments)
    await store.clocks.hold([assigned.referral_id for assigned in fresh])
    so_far = await store.clocks.so_far([assigned.referral_id for assigned in fresh])
    starts, alone = together_and_alone(
        fresh,
        key=lambda assigned: assigned.referral_id,
        simple=lambda assigned: so_far[assigned.referral_id].holder_version is None,
    )
    await _start(store, [(assigned, so_far[assigned.referral_id]) for assigned in starts], rules)
    told = list(starts)
    for assigned in alone:
        if await _start_or_move_alone(store, assigned, rules):
            told.append(assigned)
    return [(assigned.event_id, notice_for_assignment(assigned, _acknowledge_by(assigned, rules))) for assigned in told]


def _acknowledge_by(assigned: ReferralAssigned, rules: Rules) -> datetime | None:
    """When 签收 is due under the policy in force, as the first holder is told (a later one's clock, if any,
    goes on from the first placement)."""
    if assigned.reason not in FIRST_PLACEMENTS:
        return None
    limits = rules.policy.limits
    return deadline_for(Stage.ACKNOWLEDGE, assigned.priority, assigned.assigned_at, limits, rules.calendar).at


async def _start_or_move_alone(store: ClockTransaction, assigned: ReferralAssigned, rules: Rules) -> bool:
    """True when the holder is to be told: the clocks started, moved or started again for them."""
    so_far = (await store.clocks.so_far([assigned.referral_id]))[assigned.referral_id]
    if not so_far.follows(assigned.version):
        return False  # an older placement, overtaken by a newer one
    # Whatever the reason, a placement with a holder ends the wait in the unrouted queue, if there was one.
    await store.clocks.dispatched(assigned.referral_id, assigned.assigned_at)
    if not so_far.started:
        await _start(store, [(assigned, so_far)], rules)
    else:
        # Declined or reassigned: the running clocks go on for the new holder; those paused while the
        # referral was unrouted start again from now, under the policy in force, and the police's notice
        # starts if the case has become police-required.
        await store.clocks.move(assigned.referral_id, assigned.assignee_code, assigned.version)
        police = (Stage.POLICE_NOTICE,) if assigned.police_required else ()
        again = so_far.paused + tuple(stage for stage in police if stage not in so_far.deadlines)
        await _start(store, [(assigned, so_far)], rules, again)
    return True


async def _start(
    store: ClockTransaction,
    starts: list[tuple[ReferralAssigned, ClocksSoFar]],
    rules: Rules,
    stages: tuple[Stage, ...] = HOLDER_STAGES,
) -> None:
    """These stages' deadlines, their timers and their DeadlineScheduled, for all the referrals at once; a
    referral that opens with this assignment also gets the hotline's callback clock."""
    deadlines = [
        deadline
        for assigned, so_far in starts
        for deadline in start_clocks(assigned, so_far, rules.policy, rules.calendar, stages)
    ]
    deadlines += [
        running_clock(Stage.CALLBACK, callback_start(assigned), so_far, rules.policy, rules.calendar)
        for assigned, so_far in starts
        if so_far.holder_version is None and needs_callback(so_far)
    ]
    await store.clocks.start(deadlines)
    await schedule(store, deadlines)


async def schedule(store: ClockTransaction, deadlines: list[StageDeadline]) -> None:
    """Announces the deadlines whose clocks run."""
    running = [deadline for deadline in deadlines if deadline.status is DeadlineStatus.PENDING]
    await store.outbox.enqueue(
        [(deadline.scheduled(deadline.priority, deadline.due), str(deadline.referral_id)) for deadline in running]
    )
