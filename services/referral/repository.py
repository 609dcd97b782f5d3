"""PostgreSQL access for stations and referrals."""

import json
from datetime import datetime
from uuid import UUID

import asyncpg

from services.referral.model import NewReferral
from services.referral.routing import Station, county_code, township_code
from shared.domain.codes import AssigneeKind
from shared.events import ReportReceived

REFERRAL_COLUMNS = (
    "r.referral_id, r.report_id, r.status, r.assignee_code, "
    "s.kind AS assignee_kind, s.name AS assignee_name, r.priority, r.police_required, "
    "r.routing_reason, r.division_code, r.created_at, r.updated_at, r.version, r.child_key, r.match_method, "
    "r.candidates, r.decline_count, r.report_count, r.acknowledged_at, r.first_contact_at, r.home_visit_at, "
    "r.assessed_at, r.assessment, r.police_notified_at, r.closed_at, r.outcome"
)


async def stations_covering(connection: asyncpg.Connection, division_code: str | None) -> dict[str, Station]:
    return await stations_covering_all(connection, [division_code])


async def stations_covering_all(connection: asyncpg.Connection, division_codes: list[str | None]) -> dict[str, Station]:
    """The active stations and centres of these divisions' townships and counties, by code."""
    wanted = {
        code for division in division_codes if division for code in (township_code(division), county_code(division))
    }
    if not wanted:
        return {}
    rows = await connection.fetch(
        "SELECT code, kind, name FROM stations WHERE active AND code = ANY($1::text[])", sorted(wanted)
    )
    return {row["code"]: Station(row["code"], AssigneeKind(row["kind"]), row["name"]) for row in rows}


INSERT_REFERRAL = (
    "WITH r AS (INSERT INTO referrals (referral_id, report_id, status, assignee_code, priority, police_required, "
    "routing_reason, division_code, created_at, updated_at, child_key, match_method, candidates) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12) "
    f"ON CONFLICT (report_id) DO NOTHING RETURNING *) SELECT {REFERRAL_COLUMNS} "
    "FROM r LEFT JOIN stations s ON s.code = r.assignee_code"
)


async def insert_referrals(connection: asyncpg.Connection, referrals: list[NewReferral]) -> dict[UUID, asyncpg.Record]:
    """Stores new referrals in one round trip; returns those stored, as stored, by report id. A report that
    already has a referral is left out."""
    rows = [
        (
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
        for referral in referrals
    ]
    stored = await connection.fetchmany(INSERT_REFERRAL, rows) if rows else []
    return {row["report_id"]: row for row in stored}


INSERT_REPORT = (
    "INSERT INTO referral_reports (report_id, referral_id, child_key, received_at, linked, report) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (report_id) DO NOTHING RETURNING true"
)


async def add_report(
    connection: asyncpg.Connection, referral_id: UUID, report: ReportReceived, child_key: str | None, linked: bool
) -> bool:
    """Files a report under a referral; False when it is already filed."""
    return bool(await connection.fetchval(INSERT_REPORT, *_report_row(referral_id, report, child_key, linked)))


async def add_first_reports(
    connection: asyncpg.Connection, filed: list[tuple[UUID, ReportReceived, str | None]]
) -> None:
    """Files each (referral id, report, child key) as the first report of its new referral, in one round trip."""
    rows = [_report_row(referral_id, report, key, linked=False) for referral_id, report, key in filed]
    await connection.executemany(INSERT_REPORT, rows)


def _report_row(referral_id: UUID, report: ReportReceived, child_key: str | None, linked: bool) -> tuple:
    return (report.report_id, referral_id, child_key, report.received_at, linked, report.model_dump_json())


async def open_referral_of_child(connection: asyncpg.Connection, child_key: str) -> asyncpg.Record | None:
    return await connection.fetchrow(
        f"SELECT {REFERRAL_COLUMNS} FROM referrals r LEFT JOIN stations s ON s.code = r.assignee_code "
        "WHERE r.child_key = $1 AND r.status <> 'closed' ORDER BY r.created_at LIMIT 1 FOR UPDATE OF r",
        child_key,
    )


async def reports_of_child_since(connection: asyncpg.Connection, child_key: str, since: datetime) -> int:
    return (await reports_of_children_since(connection, [(child_key, since)]))[child_key]


async def reports_of_children_since(
    connection: asyncpg.Connection, children: list[tuple[str, datetime]]
) -> dict[str, int]:
    """For each (child key, since), how many reports about the child arrived after `since`."""
    if not children:
        return {}
    rows = await connection.fetch(
        "SELECT c.child_key, count(rr.report_id) AS reports "
        "FROM unnest($1::text[], $2::timestamptz[]) AS c(child_key, since) "
        "LEFT JOIN referral_reports rr ON rr.child_key = c.child_key AND rr.received_at > c.since "
        "GROUP BY c.child_key",
        [key for key, _ in children],
        [since for _, since in children],
    )
    return {row["child_key"]: row["reports"] for row in rows}


async def children_with_open_referrals(connection: asyncpg.Connection, child_keys: list[str]) -> set[str]:
    if not child_keys:
        return set()
    rows = await connection.fetch(
        "SELECT DISTINCT child_key FROM referrals WHERE child_key = ANY($1::text[]) AND status <> 'closed'",
        child_keys,
    )
    return {row["child_key"] for row in rows}


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
    await append_histories(connection, [(referral_id, action, actor, detail)])


async def append_histories(connection: asyncpg.Connection, entries: list[tuple[UUID, str, str, dict]]) -> None:
    """Appends each (referral id, action, actor, detail) in one round trip."""
    await connection.executemany(
        "INSERT INTO referral_history (referral_id, action, actor, detail) VALUES ($1, $2, $3, $4)",
        [
            (referral_id, action, actor, json.dumps(detail, ensure_ascii=False))
            for referral_id, action, actor, detail in entries
        ],
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
