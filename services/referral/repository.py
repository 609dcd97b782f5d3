"""PostgreSQL access for stations and referrals."""

import json
from uuid import UUID

import asyncpg

from services.referral.model import NewReferral
from services.referral.routing import Station, county_code, township_code
from shared.codes import AssigneeKind


async def stations_covering(connection: asyncpg.Connection, division_code: str | None) -> dict[str, Station]:
    if not division_code:
        return {}
    rows = await connection.fetch(
        "SELECT code, kind, name FROM stations WHERE active AND code = ANY($1::text[])",
        [township_code(division_code), county_code(division_code)],
    )
    return {row["code"]: Station(row["code"], AssigneeKind(row["kind"]), row["name"]) for row in rows}


async def insert_referral(connection: asyncpg.Connection, referral: NewReferral) -> bool:
    """Stores a new referral; False when the report already has one."""
    inserted = await connection.fetchval(
        "INSERT INTO referrals (referral_id, report_id, status, assignee_code, priority, police_required, "
        "routing_reason, division_code, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (report_id) DO NOTHING RETURNING true",
        referral.referral_id,
        referral.report_id,
        referral.status,
        referral.assignee_code,
        referral.priority,
        referral.police_required,
        referral.routing_reason,
        referral.division_code,
        referral.created_at,
    )
    return bool(inserted)


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


REFERRAL_COLUMNS = (
    "r.referral_id, r.report_id, r.status, r.assignee_code, "
    "s.kind AS assignee_kind, s.name AS assignee_name, r.priority, r.police_required, "
    "r.routing_reason, r.division_code, r.created_at, r.updated_at"
)


async def referrals_for_report(connection: asyncpg.Connection, report_id: UUID) -> list[asyncpg.Record]:
    return await connection.fetch(
        f"SELECT {REFERRAL_COLUMNS} FROM referrals r LEFT JOIN stations s ON s.code = r.assignee_code "
        "WHERE r.report_id = $1",
        report_id,
    )


async def referral_by_id(connection: asyncpg.Connection, referral_id: UUID) -> asyncpg.Record | None:
    return await connection.fetchrow(
        f"SELECT {REFERRAL_COLUMNS} FROM referrals r LEFT JOIN stations s ON s.code = r.assignee_code "
        "WHERE r.referral_id = $1",
        referral_id,
    )


async def history_of(connection: asyncpg.Connection, referral_id: UUID) -> list[asyncpg.Record]:
    return await connection.fetch(
        "SELECT action, actor, detail, at FROM referral_history WHERE referral_id = $1 ORDER BY id",
        referral_id,
    )


async def upsert_station(connection: asyncpg.Connection, row: dict[str, str]) -> None:
    await connection.execute(
        "INSERT INTO stations (code, kind, name, county_code, phone, email, webhook_url) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT (code) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, "
        "county_code = EXCLUDED.county_code, phone = EXCLUDED.phone, email = EXCLUDED.email, "
        "webhook_url = EXCLUDED.webhook_url, updated_at = now()",
        row["code"],
        row["kind"],
        row["name"],
        row["county_code"],
        row.get("phone") or None,
        row.get("email") or None,
        row.get("webhook_url") or None,
    )
