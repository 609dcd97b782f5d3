"""The operator's read model of where each report went and its next deadline, fed by referral's and
notification's events, a batch in one transaction. A report a referral came of is no longer stuck, and neither
is one whose event, once set aside, is handled after all (a replayed dead letter)."""

from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from services.intake.adapters import routing_repository, stuck_repository
from services.intake.domain.routing import RoutingUpdate, linked, routed, scheduled, unrouted
from shared.events import DeadlineScheduled, ReferralAssigned, ReferralUnrouted, ReportLinked


@dataclass(frozen=True)
class RecordRouting:
    pool_of: Callable[[], asyncpg.Pool]

    async def referrals_assigned(self, events: list[ReferralAssigned]) -> None:
        await self._record([routed(event) for event in events])

    async def referrals_unrouted(self, events: list[ReferralUnrouted]) -> None:
        await self._record([unrouted(event) for event in events])

    async def reports_linked(self, events: list[ReportLinked]) -> None:
        await self._record([linked(event) for event in events])

    async def deadlines_scheduled(self, events: list[DeadlineScheduled]) -> None:
        async with self.pool_of().acquire() as connection, connection.transaction():
            await routing_repository.record_deadlines(connection, [scheduled(event) for event in events])
            await stuck_repository.clear_events(connection, [event.event_id for event in events])

    async def _record(self, updates: list[RoutingUpdate]) -> None:
        async with self.pool_of().acquire() as connection, connection.transaction():
            await routing_repository.record_routing(connection, updates)
            await stuck_repository.clear_reports(connection, [update.report_id for update in updates])
