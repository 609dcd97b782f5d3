"""A referral's stage clocks in PostgreSQL: its deadlines and their timers, and the completions and closing
that arrive before its clocks start. A deadline started again (a paused stage, a second dispatch) keeps its
row and its timers' rows."""

from datetime import datetime
from uuid import UUID, uuid4

import asyncpg

from services.notification.adapters.deadline_sql import HOLDERS_ONLY, SO_FAR, START, START_TIMER
from services.notification.domain.deadlines import PRIORITY_TIMED, DeadlineStatus, Due
from services.notification.domain.notices import HOTLINE_CODE
from services.notification.domain.stage_clocks import ClocksSoFar, KnownDeadline, RunningStage, StageDeadline
from services.notification.domain.timers import TimerKind
from shared.domain.codes import Priority
from shared.domain.monitoring import Assessment
from shared.domain.referrals import Stage
from shared.locks import hold


class DeadlineRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def hold(self, referral_ids: list[UUID]) -> None:
        """Holds the referrals until the transaction ends. Assignments and actions come on different topics
        at once: without it, a completion could land between an assignment's reading of the completions and
        its writing of the deadlines."""
        await hold(self._connection, [str(referral_id) for referral_id in referral_ids])

    async def so_far(self, referral_ids: list[UUID]) -> dict[UUID, ClocksSoFar]:
        rows = await self._connection.fetch(SO_FAR, list(set(referral_ids)))
        return {
            row["referral_id"]: ClocksSoFar(
                row["holder_version"],
                {Stage(stage): at for stage, at in zip(row["stages"], row["completed_at"], strict=True)},
                row["closed"],
                {  # the running one of a repeating stage comes last, so it is the one kept
                    Stage(stage): KnownDeadline(
                        UUID(deadline_id), DeadlineStatus(status), Assessment(level) if level else None
                    )
                    for stage, deadline_id, status, level in row["deadlines"]
                },
            )
            for row in rows
        }

    async def start(self, deadlines: list[StageDeadline]) -> None:
        """Stores the deadlines with their timers; one started again replaces what its row held, its timers
        pending again."""
        if not deadlines:
            return
        await self._connection.executemany(
            START,
            [
                (
                    deadline.deadline_id,
                    deadline.referral_id,
                    deadline.report_id,
                    deadline.stage.value,
                    deadline.priority.value,
                    deadline.assignee_code,
                    deadline.starts_at,
                    deadline.due.at,
                    deadline.due.provisional,
                    deadline.status.value,
                    deadline.met_at,
                    deadline.assignee_version,
                    deadline.policy_version,
                    deadline.area_code,
                    deadline.case_number,
                    deadline.level and deadline.level.value,
                )
                for deadline in deadlines
            ],
        )
        timers = [
            (uuid4(), deadline.deadline_id, kind.value, fire_at)
            for deadline in deadlines
            for kind, fire_at in deadline.timers.items()
        ]
        if timers:
            await self._connection.executemany(START_TIMER, timers)

    async def move(self, referral_id: UUID, assignee_code: str, version: int) -> None:
        """The running clocks go on for the new holder."""
        await self._connection.execute(
            "UPDATE deadlines SET assignee_code = $2, assignee_version = $3 "
            f"WHERE referral_id = $1 AND status = 'pending' AND {HOLDERS_ONLY}",
            referral_id,
            assignee_code,
            version,
        )

    async def pause(self, referral_id: UUID, version: int, area_code: str | None) -> None:
        """The running stage clocks stop, held by the hotline while the referral waits, their timers cancelled."""
        await self._end(
            "UPDATE deadlines SET status = 'paused', assignee_code = $2, assignee_version = $3, area_code = $4 "
            f"WHERE referral_id = $1 AND status = 'pending' AND {HOLDERS_ONLY} RETURNING deadline_id",
            referral_id,
            HOTLINE_CODE,
            version,
            area_code,
        )

    async def dispatched(self, referral_id: UUID, at: datetime) -> None:
        """The dispatch clock, if it runs, is met: the referral has a holder."""
        await self._finish(referral_id, [Stage.DISPATCH.value], DeadlineStatus.MET, at)

    async def complete(self, referral_id: UUID, stages: list[Stage], at: datetime) -> None:
        """Keeps the completions (for clocks not started yet) and stops the clocks of these stages."""
        await self._connection.executemany(
            "INSERT INTO stage_completions (referral_id, stage, completed_at) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING",
            [(referral_id, stage.value, at) for stage in stages],
        )
        await self._finish(referral_id, [stage.value for stage in stages], DeadlineStatus.MET, at)

    async def cancel(self, referral_id: UUID, stages: list[Stage], at: datetime) -> None:
        """Stops these stages' running clocks, not done (monitoring ended)."""
        await self._finish(referral_id, [stage.value for stage in stages], DeadlineStatus.CANCELLED, at)

    async def close(self, referral_id: UUID, at: datetime) -> None:
        """Keeps the closing (for clocks not started yet) and cancels every running clock but the callback."""
        await self._connection.execute(
            "INSERT INTO closed_referrals (referral_id, closed_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            referral_id,
            at,
        )
        stages = [stage.value for stage in Stage if stage is not Stage.CALLBACK]
        await self._finish(referral_id, stages, DeadlineStatus.CANCELLED, at)

    async def _finish(self, referral_id: UUID, stages: list[str] | None, status: DeadlineStatus, at: datetime) -> None:
        """Ends the pending and paused deadlines (of these stages, or all) and cancels their timers."""
        await self._end(
            "UPDATE deadlines SET status = $3, met_at = CASE WHEN $3 = 'met' THEN $4::timestamptz END "
            "WHERE referral_id = $1 AND status IN ('pending', 'paused') AND ($2::text[] IS NULL OR stage = ANY($2)) "
            "RETURNING deadline_id",
            referral_id,
            stages,
            status.value,
            at,
        )

    async def _end(self, update: str, *arguments: object) -> None:
        """Runs an update of deadlines that returns those it stopped, and cancels their pending timers."""
        ended = await self._connection.fetch(update, *arguments)
        await self._connection.execute(
            "UPDATE timers SET status = 'cancelled' WHERE status = 'pending' AND deadline_id = ANY($1::uuid[])",
            [row["deadline_id"] for row in ended],
        )

    async def running(
        self, referral_id: UUID, older_than: int, stages: tuple[Stage, ...] = PRIORITY_TIMED
    ) -> list[RunningStage]:
        """The running stages of these whose timing is older than this version and whose time was not extended,
        locked for re-timing."""
        rows = await self._connection.fetch(
            "SELECT deadline_id, referral_id, report_id, stage, assignee_code, starts_at, policy_version "
            "FROM deadlines WHERE referral_id = $1 AND status = 'pending' AND priority_version < $2 "
            "AND NOT extended AND stage = ANY($3) FOR UPDATE",
            referral_id,
            older_than,
            [stage.value for stage in stages],
        )
        return [RunningStage(**dict(row) | {"stage": Stage(row["stage"])}) for row in rows]

    async def retime(
        self,
        deadline_id: UUID,
        priority: Priority,
        due: Due,
        version: int,
        timers: dict[TimerKind, datetime],
        level: Assessment | None = None,
    ) -> None:
        """A new due time; the timers not yet fired move (a fired one is not fired again)."""
        await self._connection.execute(
            "UPDATE deadlines SET priority = $2, due_at = $3, provisional = $4, priority_version = $5, "
            "level = coalesce($6, level) WHERE deadline_id = $1",
            deadline_id,
            priority.value,
            due.at,
            due.provisional,
            version,
            level and level.value,
        )
        for kind, fire_at in timers.items():
            await self._connection.execute(
                "UPDATE timers SET fire_at = $3 WHERE deadline_id = $1 AND kind = $2 AND status = 'pending'",
                deadline_id,
                kind.value,
                fire_at,
            )
