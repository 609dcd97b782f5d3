"""PostgreSQL access for reports, idempotency keys and the routing state read model."""

import json
from collections.abc import Callable
from dataclasses import astuple, dataclass
from datetime import datetime
from typing import TypeVar
from uuid import UUID

import asyncpg

T = TypeVar("T")


@dataclass(frozen=True)
class StoredReport:
    report_id: UUID
    hotline_ticket_id: str | None
    received_at: datetime
    channel: str
    created_by: str
    child: dict
    concerns: list[str]
    immediate_danger: bool
    mandatory_report: bool
    narrative: str
    reporter: dict
    reporter_identity: bytes | None
    identity_shared: bool


async def claim_idempotency_key(
    connection: asyncpg.Connection, principal: str, key: str, request_hash: str, report_id: UUID
) -> asyncpg.Record | None:
    """None when the key is new (now claimed for report_id); else the earlier claim."""
    claimed = await connection.fetchval(
        "INSERT INTO idempotency_keys (principal, key, request_hash, report_id) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (principal, key) DO NOTHING RETURNING true",
        principal,
        key,
        request_hash,
        report_id,
    )
    if claimed:
        return None
    return await connection.fetchrow(
        "SELECT request_hash, report_id FROM idempotency_keys WHERE principal = $1 AND key = $2",
        principal,
        key,
    )


async def point_idempotency_key(connection: asyncpg.Connection, principal: str, key: str, report_id: UUID) -> None:
    await connection.execute(
        "UPDATE idempotency_keys SET report_id = $3 WHERE principal = $1 AND key = $2",
        principal,
        key,
        report_id,
    )


async def insert_report(connection: asyncpg.Connection, report: StoredReport) -> bool:
    """Stores the report; False when its 12345 ticket is already stored."""
    inserted = await connection.fetchval(
        "INSERT INTO reports (report_id, hotline_ticket_id, received_at, channel, created_by, child, "
        "division_code, address, concerns, immediate_danger, mandatory_report, narrative, reporter, "
        "reporter_identity, identity_shared) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
        "ON CONFLICT (hotline_ticket_id) WHERE hotline_ticket_id IS NOT NULL DO NOTHING RETURNING true",
        report.report_id,
        report.hotline_ticket_id,
        report.received_at,
        report.channel,
        report.created_by,
        json.dumps(report.child, ensure_ascii=False, default=str),
        report.child.get("division_code"),
        report.child.get("address"),
        report.concerns,
        report.immediate_danger,
        report.mandatory_report,
        report.narrative,
        json.dumps(report.reporter),
        report.reporter_identity,
        report.identity_shared,
    )
    return bool(inserted)


async def report_id_for_ticket(connection: asyncpg.Connection, ticket: str) -> UUID:
    return await connection.fetchval("SELECT report_id FROM reports WHERE hotline_ticket_id = $1", ticket)


REPORT_COLUMNS = (
    "report_id, hotline_ticket_id, received_at, channel, created_by, created_at, division_code, child, concerns, "
    "immediate_danger, mandatory_report, narrative, reporter, reporter_identity, identity_shared, routing_state, "
    "referral_id, assignee_code, assignee_name, priority, routing_reason, next_deadline_stage, next_deadline_at"
)


async def report_by_id(connection: asyncpg.Connection, report_id: UUID) -> asyncpg.Record | None:
    return await connection.fetchrow(f"SELECT {REPORT_COLUMNS} FROM reports WHERE report_id = $1", report_id)


async def recent_reports(connection: asyncpg.Connection, created_by: str | None, limit: int) -> list[asyncpg.Record]:
    return await connection.fetch(
        f"SELECT {REPORT_COLUMNS} FROM reports WHERE ($1::text IS NULL OR created_by = $1) "
        "ORDER BY created_at DESC LIMIT $2",
        created_by,
        limit,
    )


@dataclass(frozen=True)
class RoutingUpdate:
    """Where referral put a report, as the operator sees it."""

    report_id: UUID
    state: str
    referral_id: UUID
    assignee_code: str | None
    assignee_name: str | None
    priority: str
    reason: str | None


async def record_routing(connection: asyncpg.Connection, updates: list[RoutingUpdate]) -> None:
    """Applies the updates, all or none (executemany is atomic); a report's own updates keep their order."""
    await connection.executemany(
        "UPDATE reports SET routing_state = $2, referral_id = $3, assignee_code = $4, assignee_name = $5, "
        "priority = $6, routing_reason = $7, state_updated_at = now() WHERE report_id = $1",
        [astuple(update) for update in _in_lock_order(updates, lambda update: update.report_id)],
    )


async def record_deadlines(connection: asyncpg.Connection, deadlines: list[tuple[UUID, str, datetime]]) -> None:
    """Keeps each report's earliest pending deadline as its next one; takes (report id, stage, due at)."""
    await connection.executemany(
        "UPDATE reports SET next_deadline_stage = $2, next_deadline_at = $3, state_updated_at = now() "
        "WHERE report_id = $1 AND (next_deadline_at IS NULL OR next_deadline_at > $3)",
        _in_lock_order(deadlines, lambda deadline: deadline[0]),
    )


def _in_lock_order(rows: list[T], report_id: Callable[[T], UUID]) -> list[T]:
    """Batches from different topics lock the same reports; taking them in one order cannot deadlock.
    The sort is stable, so one report's rows keep their order."""
    return sorted(rows, key=report_id)
