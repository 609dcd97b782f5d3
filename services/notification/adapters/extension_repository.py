"""Requests for more time and 督办 by hand in PostgreSQL, and the deadline each is about, locked while a
request, a decision or a 督办 is made on it."""

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.notification.domain.deadlines import DeadlineStatus
from services.notification.domain.extensions import HeldDeadline
from services.notification.domain.timers import TimerKind
from shared.domain.codes import Priority
from shared.domain.referrals import Stage
from shared.events.deadlines import ExtensionDecision

HELD = """
SELECT d.deadline_id, d.referral_id, d.report_id, d.stage, d.priority, d.assignee_code, d.starts_at, d.due_at,
       d.status, d.area_code, d.case_number,
       (SELECT e.extension_id FROM extensions e WHERE e.deadline_id = d.deadline_id AND e.decision = 'pending')
           AS pending_extension
FROM deadlines d
"""
EXTENSION_COLUMNS = (
    "e.extension_id, e.deadline_id, e.requested_by, e.reason, e.due_at, e.requested_until, e.requested_at, "
    "e.decision, e.decided_by, e.decided_at, d.referral_id, d.stage, d.assignee_code, d.case_number"
)


class ExtensionRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def deadline(self, deadline_id: UUID) -> HeldDeadline | None:
        row = await self._connection.fetchrow(f"{HELD} WHERE d.deadline_id = $1 FOR UPDATE OF d", deadline_id)
        return _held(row) if row else None

    async def deadline_of_request(self, extension_id: UUID) -> HeldDeadline | None:
        """The deadline a request is about, locked, with the request as its pending one if it still waits."""
        row = await self._connection.fetchrow(
            f"{HELD} JOIN extensions x ON x.deadline_id = d.deadline_id WHERE x.extension_id = $1 FOR UPDATE OF d",
            extension_id,
        )
        return _held(row) if row else None

    async def add(
        self, extension_id: UUID, deadline: HeldDeadline, by: str, reason: str, until: datetime, at: datetime
    ) -> None:
        await self._connection.execute(
            "INSERT INTO extensions (extension_id, deadline_id, requested_by, reason, due_at, requested_until, "
            "requested_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            extension_id,
            deadline.deadline_id,
            by,
            reason,
            deadline.due_at,
            until,
            at,
        )

    async def decide(self, extension_id: UUID, decision: ExtensionDecision, by: str, at: datetime) -> datetime:
        """Records the decision; returns the time that was asked for."""
        return await self._connection.fetchval(
            "UPDATE extensions SET decision = $2, decided_by = $3, decided_at = $4 WHERE extension_id = $1 "
            "RETURNING requested_until",
            extension_id,
            decision.value,
            by,
            at,
        )

    async def extend(
        self, deadline_id: UUID, until: datetime, timers: dict[TimerKind, datetime], now: datetime
    ) -> None:
        """The deadline moves; its timers move with it, and one already fired whose new time is still ahead
        fires again then."""
        await self._connection.execute(
            "UPDATE deadlines SET due_at = $2, provisional = false, extended = true WHERE deadline_id = $1",
            deadline_id,
            until,
        )
        await self._connection.executemany(
            "UPDATE timers SET fire_at = $3::timestamptz, status = 'pending', fired_at = NULL, late = NULL "
            "WHERE deadline_id = $1 AND kind = $2 AND (status = 'pending' OR $3::timestamptz > $4::timestamptz)",
            [(deadline_id, kind.value, fire_at, now) for kind, fire_at in timers.items()],
        )

    async def pending_in(self, area: str) -> list[dict[str, Any]]:
        rows = await self._connection.fetch(
            f"SELECT {EXTENSION_COLUMNS} FROM extensions e JOIN deadlines d ON d.deadline_id = e.deadline_id "
            "WHERE e.decision = 'pending' AND starts_with(d.assignee_code, $1) ORDER BY e.requested_at LIMIT 1000",
            area,
        )
        return [dict(row) for row in rows]

    async def supervised(self, deadline_id: UUID, by: str, note: str, at: datetime) -> None:
        await self._connection.execute(
            "INSERT INTO supervisions (deadline_id, issued_by, note, issued_at) VALUES ($1, $2, $3, $4)",
            deadline_id,
            by,
            note,
            at,
        )


def _held(row: asyncpg.Record) -> HeldDeadline:
    values = dict(row)
    return HeldDeadline(
        **values
        | {
            "stage": Stage(values["stage"]),
            "priority": Priority(values["priority"]),
            "status": DeadlineStatus(values["status"]),
        }
    )
