"""PostgreSQL storage of the tasks handed to villages' child directors (migration 0012): handing one, closing it
when the director has done it (or all of a referral's when it moves away), and a village's open tasks with their
referrals."""

from datetime import datetime
from uuid import UUID

import asyncpg

from services.referral.adapters.referral_rows import REFERRAL_COLUMNS, referral_from
from services.referral.domain.changes import TaskDone, TaskHanded
from services.referral.domain.referral import Referral
from shared.domain.monitoring import TaskKind


class PostgresTasks:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def record(self, referral_id: UUID, task: TaskHanded | TaskDone, at: datetime) -> None:
        """A task done closes the open one of its kind; a new one too (one whose director has left, if any)."""
        await self.close_all(referral_id, at, task.kind)
        if isinstance(task, TaskHanded):
            await self.connection.execute(
                "INSERT INTO referral_tasks (task_id, referral_id, kind, village_code, handed_at) "
                "VALUES ($1, $2, $3, $4, $5)",
                task.task_id,
                referral_id,
                task.kind.value,
                task.village_code,
                at,
            )

    async def close_all(self, referral_id: UUID, at: datetime, kind: TaskKind | None = None) -> None:
        """The referral's open tasks (of one kind, when given)."""
        await self.connection.execute(
            "UPDATE referral_tasks SET closed_at = $2 WHERE referral_id = $1 AND closed_at IS NULL "
            "AND ($3::text IS NULL OR kind = $3)",
            referral_id,
            at,
            kind.value if kind else None,
        )

    async def open_in(self, village_code: str) -> list[tuple[Referral, UUID, str, datetime]]:
        """The village's open tasks on open referrals, newest first: (referral, task id, kind, handed at)."""
        rows = await self.connection.fetch(
            f"SELECT {REFERRAL_COLUMNS}, t.task_id, t.kind AS task_kind, t.handed_at "
            "FROM referral_tasks t JOIN referrals r ON r.referral_id = t.referral_id "
            "LEFT JOIN stations s ON s.code = r.assignee_code "
            "WHERE t.village_code = $1 AND t.closed_at IS NULL AND r.status <> 'closed' ORDER BY t.handed_at DESC",
            village_code,
        )
        return [
            (referral_from(_referral_only(row)), row["task_id"], row["task_kind"], row["handed_at"]) for row in rows
        ]


def _referral_only(row: asyncpg.Record) -> dict:
    return {name: value for name, value in dict(row).items() if name not in ("task_id", "task_kind", "handed_at")}
