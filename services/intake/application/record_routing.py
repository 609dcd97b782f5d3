"""The operator's read model of where each report went, how far its case has come and its next deadline, fed by
referral's and notification's events, a batch in one transaction, each event once (the inbox). A report a
referral came of is no longer stuck, and neither is one whose event, once set aside, is handled after all (a
replayed dead letter): it is cleared whether or not the event was seen before."""

from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from services.intake.adapters import routing_repository, stuck_repository
from services.intake.application import follow_case
from services.intake.domain.routing import linked, routed, scheduled, unrouted
from shared.events import (
    CallbackRecorded,
    DeadlineExtension,
    DeadlineScheduled,
    ReferralActionRecorded,
    ReferralAssigned,
    ReferralUnrouted,
    ReportLinked,
    ReportProgressed,
)
from shared.inbox import claim_events


@dataclass(frozen=True)
class RecordRouting:
    pool_of: Callable[[], asyncpg.Pool]

    async def referrals_assigned(self, events: list[ReferralAssigned]) -> None:
        async with self.pool_of().acquire() as connection, connection.transaction():
            if fresh := await claim_events(connection, events):
                await routing_repository.record_routing(connection, [routed(event) for event in fresh])
                await follow_case.follow_placements(connection, fresh)
            await stuck_repository.clear_reports(connection, [event.report_id for event in events])

    async def referrals_unrouted(self, events: list[ReferralUnrouted]) -> None:
        async with self.pool_of().acquire() as connection, connection.transaction():
            if fresh := await claim_events(connection, events):
                await routing_repository.record_routing(connection, [unrouted(event) for event in fresh])
                await follow_case.follow_placements(connection, fresh)
            await stuck_repository.clear_reports(connection, [event.report_id for event in events])

    async def reports_linked(self, events: list[ReportLinked]) -> None:
        async with self.pool_of().acquire() as connection, connection.transaction():
            if fresh := await claim_events(connection, events):
                await routing_repository.record_routing(connection, [linked(event) for event in fresh])
                await follow_case.follow_links(connection, fresh)
            await stuck_repository.clear_reports(connection, [event.report_id for event in events])

    async def actions_recorded(self, events: list[ReferralActionRecorded]) -> None:
        async with self.pool_of().acquire() as connection, connection.transaction():
            if fresh := await claim_events(connection, events):
                await follow_case.follow_actions(connection, fresh)
            await stuck_repository.clear_events(connection, [event.event_id for event in events])

    async def extensions_recorded(self, events: list[DeadlineExtension]) -> None:
        async with self.pool_of().acquire() as connection, connection.transaction():
            if fresh := await claim_events(connection, events):
                await follow_case.follow_extensions(connection, fresh)

    async def announcements_seen(self, events: list[ReportProgressed] | list[CallbackRecorded]) -> None:
        """intake's own announcements, read back: one set aside by a consumer and replayed is no longer stuck."""
        async with self.pool_of().acquire() as connection, connection.transaction():
            await stuck_repository.clear_events(connection, [event.event_id for event in events])

    async def deadlines_scheduled(self, events: list[DeadlineScheduled]) -> None:
        async with self.pool_of().acquire() as connection, connection.transaction():
            if fresh := await claim_events(connection, events):
                holder_stages = [scheduled(event) for event in fresh]
                await routing_repository.record_deadlines(connection, holder_stages)
                await follow_case.follow_callback_deadlines(connection, fresh)
            await stuck_repository.clear_events(connection, [event.event_id for event in events])
