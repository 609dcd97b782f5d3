"""PostgreSQL access for receipt lookups: the receipt's report and phone hash, the last step announced of the
report, and the audit entry of every lookup (the caller's address and what was answered, never the phone)."""

from datetime import datetime
from uuid import UUID

import asyncpg

from shared.domain.codes import Milestone

PUBLIC = "public"  # who looks a receipt up: anyone, with no token


async def receipt(connection: asyncpg.Connection, number: str) -> tuple[UUID, str | None] | None:
    row = await connection.fetchrow(
        "SELECT report_id, reporter_phone_hash FROM reports WHERE receipt_number = $1", number
    )
    return None if row is None else (row["report_id"], row["reporter_phone_hash"])


async def last_step(connection: asyncpg.Connection, report_id: UUID) -> tuple[Milestone, datetime] | None:
    row = await connection.fetchrow(
        "SELECT milestone, at FROM progress_announced WHERE report_id = $1 ORDER BY at DESC, version DESC LIMIT 1",
        report_id,
    )
    return None if row is None else (Milestone(row["milestone"]), row["at"])


async def audit_lookup(connection: asyncpg.Connection, client: str, report_id: UUID | None, answer: str) -> None:
    await connection.execute(
        "INSERT INTO audit_log (actor, role, scope, action, case_id, target) "
        "VALUES ($1, $1, $2, 'receipt_lookup', $3, $4)",
        PUBLIC,
        client,
        report_id,
        answer,
    )
