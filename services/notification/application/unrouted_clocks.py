"""A referral enters the unrouted queue: no station keeps clocks for a case it can no longer open.

The holder's running stage clocks pause, held by the hotline (they start again, from the placement, for the
next holder: see clocks), and the dispatch clock starts for the hotline supervisors, whose lead is told in
the same transaction; a referral that opens unrouted gets the hotline's callback clock. The placement
that takes the referral out of the queue meets the dispatch deadline.
A late event, older than the placement the clocks follow, changes nothing.
"""

from uuid import UUID

import asyncpg

from services.notification.adapters.clock_transaction import PostgresClockTransaction
from services.notification.application.addressing import record_notices
from services.notification.application.clock_ports import ClockTransaction
from services.notification.application.clocks import Rules, schedule
from services.notification.domain.dispatch import dispatch_deadline, notice_for_unrouted
from services.notification.domain.follow_up import callback_start, needs_callback, running_clock
from services.notification.domain.notices import Notice
from shared.domain.referrals import Stage
from shared.events import ReferralUnrouted


async def start_dispatch_clocks(pool: asyncpg.Pool, events: list[ReferralUnrouted], rules: Rules) -> None:
    """A batch in one transaction, the hotline's lead told in it."""
    async with pool.acquire() as connection, connection.transaction():
        told = await wait_for_dispatch(PostgresClockTransaction.on(connection), events, rules)
        await record_notices(connection, told, rules.channels)


async def wait_for_dispatch(
    store: ClockTransaction, events: list[ReferralUnrouted], rules: Rules
) -> list[tuple[UUID, Notice]]:
    """Returns the notices to the hotline's lead, with the events that cause them."""
    fresh = await store.inbox.claim(events)
    await store.clocks.hold([unrouted.referral_id for unrouted in fresh])
    told = []
    for unrouted in fresh:  # one by one, in order: a referral may enter the queue twice in a batch
        so_far = (await store.clocks.so_far([unrouted.referral_id]))[unrouted.referral_id]
        if not so_far.follows(unrouted.version) or so_far.closed:
            continue
        await store.clocks.pause(unrouted.referral_id, unrouted.version, unrouted.area_code)
        deadline = dispatch_deadline(unrouted, so_far, rules.policy, rules.calendar)
        started = [deadline]
        if so_far.holder_version is None and needs_callback(so_far):  # the referral opens unrouted
            started.append(
                running_clock(Stage.CALLBACK, callback_start(unrouted), so_far, rules.policy, rules.calendar)
            )
        await store.clocks.start(started)
        await schedule(store, started)
        told.append((unrouted.event_id, notice_for_unrouted(unrouted, deadline)))
    return told
