"""What is done to a referral, applied to its clocks and told to those it concerns, in one transaction.

A completed stage stops its clock (the police told starts the police's feedback clock); closing the referral
stops the holder's clocks and tells the hotline the callback can be made (a case closed again after a
reopening gets a new callback clock); a new priority re-times the stages still running and tells the holder;
an information copy tells the station of the child's household registration; a case become police-required
gets its police notice clock; the clocks of a child under monitoring follow the assessments, the visits and
the referral leaving monitoring (monitoring_actions). The body runs on the ports of clock_ports, so that it
runs on memory in the unit tests.
"""

from uuid import UUID

import asyncpg

from services.notification.adapters.clock_transaction import PostgresClockTransaction
from services.notification.application.addressing import record_notices
from services.notification.application.clock_ports import ClockTransaction
from services.notification.application.clocks import Rules, schedule
from services.notification.application.monitoring_actions import act_on_monitoring
from services.notification.application.retiming import retime_running
from services.notification.domain.case_notices import (
    copy_station,
    notice_for_callback_due,
    notice_for_copy,
    notice_for_priority,
)
from services.notification.domain.follow_up import ClockStart, callback_again, police_start, running_clock
from services.notification.domain.monitoring_clocks import leaves_monitoring
from services.notification.domain.notices import Notice
from services.notification.domain.stage_clocks import ClocksSoFar
from shared.domain.referrals import COMPLETES, ReferralAction, Stage
from shared.events import CallbackRecorded, ReferralActionRecorded

PRIORITY_ACTIONS = (ReferralAction.PRIORITY_CHANGED, ReferralAction.PRIORITY_RAISED)
TOLD_ONLY = (ReferralAction.INFORMATION_COPY_SENT,)
DEFAULT_RULES = Rules()


def becomes_police_required(action: ReferralActionRecorded) -> bool:
    return str(action.detail.get("police_required", "")).lower() in ("true", "1")


def touches_clocks(action: ReferralActionRecorded) -> bool:
    listed = (ReferralAction.CLOSED, *PRIORITY_ACTIONS, *TOLD_ONLY)
    done = action.action in COMPLETES or action.action in listed
    return done or becomes_police_required(action) or leaves_monitoring(action)


async def apply_action(pool: asyncpg.Pool, action: ReferralActionRecorded, rules: Rules = DEFAULT_RULES) -> None:
    if touches_clocks(action):  # most actions do not: no transaction for them
        async with pool.acquire() as connection, connection.transaction():
            told = await act_on_clocks(PostgresClockTransaction.on(connection), action, rules)
            await record_notices(connection, told, rules.channels)


async def act_on_clocks(
    store: ClockTransaction, action: ReferralActionRecorded, rules: Rules
) -> list[tuple[UUID, Notice]]:
    """Returns the notices the action causes, with its event id."""
    if not touches_clocks(action) or not await store.inbox.claim([action]):
        return []
    await store.clocks.hold([action.referral_id])
    so_far = (await store.clocks.so_far([action.referral_id]))[action.referral_id]
    told: list[Notice] = []
    if action.action in COMPLETES:
        await store.clocks.complete(action.referral_id, list(COMPLETES[action.action]), action.at)
        if action.action is ReferralAction.POLICE_NOTIFIED:
            feedback = police_start(action, Stage.POLICE_FEEDBACK, so_far)
            await _start_clock(store, Stage.POLICE_FEEDBACK, feedback, so_far, rules)
    elif action.action in PRIORITY_ACTIONS:
        await retime_running(store, action, rules)
        told += [notice_for_priority(action)] if action.assignee_code else []
    elif action.action is ReferralAction.CLOSED:
        await store.clocks.close(action.referral_id, action.at)
        await _start_clock(store, Stage.CALLBACK, callback_again(action, so_far), so_far, rules)
        told.append(notice_for_callback_due(action))
    elif action.action is ReferralAction.INFORMATION_COPY_SENT:
        told += [notice_for_copy(action)] if copy_station(action) else []
    if becomes_police_required(action):
        notice = police_start(action, Stage.POLICE_NOTICE, so_far)
        await _start_clock(store, Stage.POLICE_NOTICE, notice, so_far, rules)
    told += await act_on_monitoring(store, action, so_far, rules)
    return [(action.event_id, notice) for notice in told]


async def _start_clock(
    store: ClockTransaction, stage: Stage, start: ClockStart | None, so_far: ClocksSoFar, rules: Rules
) -> None:
    if start is not None:
        deadline = running_clock(stage, start, so_far, rules.policy, rules.calendar)
        await store.clocks.start([deadline])
        await schedule(store, [deadline])


async def record_callback(pool: asyncpg.Pool, recorded: CallbackRecorded) -> None:
    async with pool.acquire() as connection, connection.transaction():
        await callback_made(PostgresClockTransaction.on(connection), recorded)


async def callback_made(store: ClockTransaction, recorded: CallbackRecorded) -> None:
    """The hotline's callback (回访) was made, the reporter reached or not: its clock stops."""
    if recorded.referral_id is None or not await store.inbox.claim([recorded]):
        return
    await store.clocks.hold([recorded.referral_id])
    await store.clocks.complete(recorded.referral_id, [Stage.CALLBACK], recorded.at)
