"""PostgreSQL access for stations and referrals."""

import json
from datetime import datetime
from uuid import UUID

import asyncpg

from services.referral.model import NewReferral
from services.referral.routing import Station, county_code, township_code
from shared.codes import AssigneeKind
from shared.events import ReportReceived

REFERRAL_COLUMNS = (
    "r.referral_id, r.report_id, r.status, r.assignee_code, "
    "s.kind AS assignee_kind, s.name AS assignee_name, r.priority, r.police_required, "
    "r.routing_reason, r.division_code, r.created_at, r.updated_at, r.version, r.child_key, r.match_method, "
    "r.candidates, r.decline_count, r.report_count, r.acknowledged_at, r.first_contact_at, r.home_visit_at, "
    "r.assessed_at, r.assessment, r.police_notified_at, r.closed_at, r.outcome"
)


async def stations_covering(connection: asyncpg.Connection, division_code: str | None) -> dict[str, Station]:
    if not division_code:
        return {}
    rows = await connection.fetch(
        "SELECT code, kind, name FROM stations WHERE active AND code = ANY($1::text[])",
        [township_code(division_code), county_code(division_code)],
    )
    return {row["code"]: Station(row["code"], AssigneeKind(row["kind"]), row["name"]) for row in rows}


async def insert_referral(connection: asyncpg.Connection, referral: NewReferral) -> asyncpg.Record | None:
    """Stores a new referral and returns it as stored; None when the report already has one."""
    return await connection.fetchrow(
        "WITH r AS (INSERT INTO referrals (referral_id, report_id, status, assignee_code, priority, "
        "police_required, routing_reason, division_code, created_at, updated_at, child_key, match_method, "
        "candidates) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12) "
        f"ON CONFLICT (report_id) DO NOTHING RETURNING *) SELECT {REFERRAL_COLUMNS} "
        "FROM r LEFT JOIN stations s ON s.code = r.assignee_code",
        referral.referral_id,
        referral.report_id,
        referral.status,
        referral.assignee_code,
        referral.priority,
        referral.police_required,
        referral.routing_reason,
        referral.division_code,
        referral.created_at,
        referral.child_key,
        referral.match_method,
        json.dumps(referral.candidates, ensure_ascii=False),
    )


async def add_report(
    connection: asyncpg.Connection, referral_id: UUID, report: ReportReceived, child_key: str | None, linked: bool
) -> bool:
    """Files a report under a referral; False when it is already filed."""
    added = await connection.fetchval(
        "INSERT INTO referral_reports (report_id, referral_id, child_key, received_at, linked, report) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (report_id) DO NOTHING RETURNING true",
        report.report_id,
        referral_id,
        child_key,
        report.received_at,
        linked,
        report.model_dump_json(),
    )
    return bool(added)


async def open_referral_of_child(connection: asyncpg.Connection, child_key: str) -> asyncpg.Record | None:
    return await connection.fetchrow(
        f"SELECT {REFERRAL_COLUMNS} FROM referrals r LEFT JOIN stations s ON s.code = r.assignee_code "
        "WHERE r.child_key = $1 AND r.status <> 'closed' ORDER BY r.created_at LIMIT 1 FOR UPDATE OF r",
        child_key,
    )


async def reports_of_child_since(connection: asyncpg.Connection, child_key: str, since: datetime) -> int:
    return await connection.fetchval(
        "SELECT count(*) FROM referral_reports WHERE child_key = $1 AND received_at > $2", child_key, since
    )


async def add_copy(connection: asyncpg.Connection, referral_id: UUID, station_code: str, reason: str) -> bool:
    added = await connection.fetchval(
        "INSERT INTO referral_copies (referral_id, station_code, reason) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING RETURNING true",
        referral_id,
        station_code,
        reason,
    )
    return bool(added)


async def copy_holders(connection: asyncpg.Connection, referral_id: UUID) -> list[str]:
    rows = await connection.fetch("SELECT station_code FROM referral_copies WHERE referral_id = $1", referral_id)
    return [row["station_code"] for row in rows]


async def reports_of(connection: asyncpg.Connection, referral_id: UUID) -> list[asyncpg.Record]:
    return await connection.fetch(
        "SELECT report_id, received_at, linked, report FROM referral_reports WHERE referral_id = $1 "
        "ORDER BY received_at, report_id",
        referral_id,
    )


async def update_referral(connection: asyncpg.Connection, referral_id: UUID, **changes: object) -> asyncpg.Record:
    """Applies the changes, counts a new version and returns the referral as it now is."""
    assignments = ", ".join(f"{column} = ${number}" for number, column in enumerate(changes, start=2))
    await connection.execute(
        f"UPDATE referrals SET {assignments}{', ' if changes else ''}version = version + 1, updated_at = now() "
        "WHERE referral_id = $1",
        referral_id,
        *changes.values(),
    )
    return await referral_by_id(connection, referral_id)


async def append_history(
    connection: asyncpg.Connection, referral_id: UUID, action: str, actor: str, detail: dict
) -> None:
    await connection.execute(
        "INSERT INTO referral_history (referral_id, action, actor, detail) VALUES ($1, $2, $3, $4)",
        referral_id,
        action,
        actor,
        json.dumps(detail, ensure_ascii=False),
    )


async def referrals_for_report(connection: asyncpg.Connection, report_id: UUID) -> list[asyncpg.Record]:
    return await connection.fetch(
        f"SELECT {REFERRAL_COLUMNS} FROM referrals r LEFT JOIN stations s ON s.code = r.assignee_code "
        "WHERE r.referral_id IN (SELECT referral_id FROM referral_reports WHERE report_id = $1) OR r.report_id = $1",
        report_id,
    )


async def referral_by_id(
    connection: asyncpg.Connection, referral_id: UUID, for_update: bool = False
) -> asyncpg.Record | None:
    return await connection.fetchrow(
        f"SELECT {REFERRAL_COLUMNS} FROM referrals r LEFT JOIN stations s ON s.code = r.assignee_code "
        f"WHERE r.referral_id = $1{' FOR UPDATE OF r' if for_update else ''}",
        referral_id,
    )


async def referrals_held_by(
    connection: asyncpg.Connection, assignee_code: str, open_only: bool
) -> list[asyncpg.Record]:
    return await connection.fetch(
        f"SELECT {REFERRAL_COLUMNS} FROM referrals r LEFT JOIN stations s ON s.code = r.assignee_code "
        "WHERE r.assignee_code = $1 AND (NOT $2 OR r.status <> 'closed') ORDER BY r.created_at",
        assignee_code,
        open_only,
    )


async def unrouted_referrals(connection: asyncpg.Connection) -> list[asyncpg.Record]:
    return await connection.fetch(
        f"SELECT {REFERRAL_COLUMNS} FROM referrals r LEFT JOIN stations s ON s.code = r.assignee_code "
        "WHERE r.status = 'unrouted' ORDER BY r.created_at"
    )


async def history_of(connection: asyncpg.Connection, referral_id: UUID) -> list[asyncpg.Record]:
    return await connection.fetch(
        "SELECT action, actor, detail, at FROM referral_history WHERE referral_id = $1 ORDER BY id",
        referral_id,
    )
