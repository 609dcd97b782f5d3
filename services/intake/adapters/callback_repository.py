"""PostgreSQL access for callbacks (回访): the report called back about, the callback stored with its notes, and
the calls still to make."""

from datetime import datetime
from uuid import UUID, uuid4

import asyncpg

from services.intake.domain.callbacks import Callback, CallbackTarget, CallbackTask
from shared.domain.outcomes import Outcome


async def target(connection: asyncpg.Connection, report_id: UUID, hotline_area: str) -> CallbackTarget | None:
    """The report, if a hotline centre of this area took it, locked: two callbacks on one report are taken one
    after the other."""
    row = await connection.fetchrow(
        "SELECT r.report_id, r.received_at, r.referral_id, c.case_number FROM reports r "
        "LEFT JOIN cases c ON c.referral_id = r.referral_id "
        "WHERE r.report_id = $1 AND starts_with(r.hotline_area, $2) FOR UPDATE OF r",
        report_id,
        hotline_area,
    )
    return None if row is None else CallbackTarget(**dict(row))


async def store(connection: asyncpg.Connection, report_id: UUID, callback: Callback, at: datetime, by: str) -> None:
    await connection.execute(
        "INSERT INTO callbacks (callback_id, report_id, reached, satisfaction, notes, at, recorded_by) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        uuid4(),
        report_id,
        callback.reached,
        callback.satisfaction.value if callback.satisfaction else None,
        callback.notes,
        at,
        by,
    )
    await connection.execute(
        "UPDATE reports SET called_back_at = GREATEST(called_back_at, $2) WHERE report_id = $1", report_id, at
    )


# Due: the case closed since the last callback, or its callback deadline come with no callback yet, of the reports
# a hotline centre of the area took. A reporter with no identity left cannot be called.
DUE = """
SELECT r.report_id, r.hotline_ticket_id, c.case_number, r.received_at, c.status, c.outcome, c.closed_at,
       c.callback_due_at, r.called_back_at
FROM reports r JOIN cases c ON c.referral_id = r.referral_id
WHERE r.reporter_identity IS NOT NULL AND starts_with(r.hotline_area, $3)
  AND ((c.status = 'closed' AND (r.called_back_at IS NULL OR r.called_back_at < c.closed_at))
       OR (c.callback_due_at <= $1 AND r.called_back_at IS NULL))
ORDER BY COALESCE(c.callback_due_at, c.closed_at), r.report_id
LIMIT $2
"""


async def due(connection: asyncpg.Connection, now: datetime, limit: int, hotline_area: str) -> list[CallbackTask]:
    rows = await connection.fetch(DUE, now, limit, hotline_area)
    return [
        CallbackTask(
            report_id=str(row["report_id"]),
            hotline_ticket_id=row["hotline_ticket_id"],
            case_number=row["case_number"],
            received_at=row["received_at"],
            case_status=row["status"],
            outcome_label=Outcome(row["outcome"]).label if row["outcome"] else None,
            closed_at=row["closed_at"],
            callback_due_at=row["callback_due_at"],
            called_back_at=row["called_back_at"],
        )
        for row in rows
    ]
