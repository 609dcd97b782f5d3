"""Stuck reports: marked from the dead letters about them and from a steady look for reports that no referral
came of in time, each announced once (ReportStuck, for the hotline supervisors) in the transaction that marks
it; counted for /health/ready, and listed for the supervisors with every read audited."""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import asyncpg

from services.intake.adapters import stuck_repository
from services.intake.domain.stuck import (
    NOTHING_STUCK,
    STRAY_WINDOW,
    StuckCounts,
    StuckMark,
    announcement,
    first_per_report,
)
from shared.audit import audit
from shared.dead_letter_watch import DeadLetterSeen
from shared.domain.access import Principal, may_watch_area, operators_area
from shared.domain.codes import StuckReason
from shared.domain.problems import NotFound
from shared.events import utcnow
from shared.outages import OUTAGES
from shared.outbox import enqueue_many

log = logging.getLogger(__name__)

BATCH = 500


@dataclass
class StuckReports:
    pool_of: Callable[[], asyncpg.Pool]
    no_referral_after: timedelta
    check_every: float  # seconds between looks for reports waiting too long
    counts: StuckCounts = field(default=NOTHING_STUCK)  # as last counted, for /health/ready

    async def dead_letters(self, letters: list[DeadLetterSeen]) -> None:
        """Each dead letter once: the reports it names that are intake's own are stuck."""
        async with self.pool_of().acquire() as connection:
            async with connection.transaction():
                fresh, marks = await self._mark_dead_lettered(connection, letters)
            if fresh:
                self.counts = await stuck_repository.counts(connection, utcnow() - STRAY_WINDOW)
        if fresh:
            log.warning("%d dead letter(s) seen, about %d report(s) of intake's", len(fresh), len(marks))

    async def _mark_dead_lettered(
        self, connection: asyncpg.Connection, letters: list[DeadLetterSeen]
    ) -> tuple[list[DeadLetterSeen], list[StuckMark]]:
        fresh = await stuck_repository.record_dead_letters(connection, letters)
        marks = first_per_report(
            StuckMark(
                report_id=letter.report_id,
                reason=StuckReason.DEAD_LETTERED,
                since=letter.at,
                error=letter.error,
                source_topic=letter.source_topic,
                consumer_group=letter.consumer_group,
                event_id=letter.event_id,
            )
            for letter in fresh
            if letter.report_id is not None
        )
        await self._announce(connection, await stuck_repository.mark(connection, marks))
        return fresh, marks

    async def check(self) -> int:
        """Marks up to a batch of reports that no referral came of in time; counts what is stuck."""
        async with self.pool_of().acquire() as connection:
            async with connection.transaction():
                waiting = await stuck_repository.mark_waiting(connection, utcnow() - self.no_referral_after, BATCH)
                await self._announce(connection, waiting)
            self.counts = await stuck_repository.counts(connection, utcnow() - STRAY_WINDOW)
        if waiting:
            log.warning("%d report(s) without a referral after %s", len(waiting), self.no_referral_after)
        return len(waiting)

    async def keep_checking(self) -> None:
        while True:
            try:
                while await self.check() == BATCH:
                    pass
            except OUTAGES as error:
                log.warning("stuck reports: outage (%s); looking again", type(error).__name__)
            await asyncio.sleep(self.check_every)

    def warning(self) -> str | None:
        return self.counts.warning()

    async def listed(self, principal: Principal, limit: int) -> list[tuple[StuckMark, str | None]]:
        """The reports stuck now, longest first, with their 12345 tickets."""
        async with self.pool_of().acquire() as connection:
            stuck = await stuck_repository.open_marks(connection, operators_area(principal), limit)
            await audit(connection, principal, "list", [mark.report_id for mark, _ in stuck], target="stuck reports")
        return stuck

    @staticmethod
    async def _announce(connection: asyncpg.Connection, marked: list[tuple[StuckMark, str | None]]) -> None:
        events = [announcement(mark, ticket) for mark, ticket in marked]
        await enqueue_many(connection, [(event, str(event.report_id)) for event in events])

    async def count_in(self, principal: Principal, area: str) -> int:
        """How many reports of an area are stuck now, for those who may watch the area."""
        if not may_watch_area(principal, area):
            raise NotFound("没有这个区域")
        async with self.pool_of().acquire() as connection:
            return await stuck_repository.open_count(connection, area)
