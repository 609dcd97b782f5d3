"""PostgreSQL storage of referrals, the reports they hold, their history and copies, on one connection
(inside the caller's transaction)."""

import json
from collections.abc import Mapping
from datetime import datetime
from uuid import UUID

import asyncpg

from services.referral.adapters.referral_rows import REFERRAL_COLUMNS, SELECT_REFERRALS, referral_from, weighed_json
from services.referral.domain.changes import HistoryEntry
from services.referral.domain.opening import NewReferral
from services.referral.domain.referral import Referral
from shared.events import ReportReceived

INSERT_REFERRAL = (
    "WITH r AS (INSERT INTO referrals (referral_id, report_id, status, assignee_code, priority, police_required, "
    "routing_reason, division_code, created_at, updated_at, child_key, match_method, candidates, received_at, "
    "case_number, weighed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13, $14, $15) "
    f"ON CONFLICT (report_id) DO NOTHING RETURNING *) SELECT {REFERRAL_COLUMNS} "
    "FROM r LEFT JOIN stations s ON s.code = r.assignee_code"
)
INSERT_REPORT = (
    "INSERT INTO referral_reports (report_id, referral_id, child_key, received_at, linked, report) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (report_id) DO NOTHING RETURNING true"
)


class PostgresReferrals:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def by_id(self, referral_id: UUID, for_update: bool = False) -> Referral | None:
        row = await self.connection.fetchrow(
            f"{SELECT_REFERRALS} WHERE r.referral_id = $1{' FOR UPDATE OF r' if for_update else ''}", referral_id
        )
        return referral_from(row) if row else None

    async def locked(self, referral_id: UUID) -> Referral | None:
        return await self.by_id(referral_id, for_update=True)

    async def referral_of_report(self, report_id: UUID) -> Referral | None:
        row = await self.connection.fetchrow(
            f"{SELECT_REFERRALS} WHERE r.referral_id = "
            "(SELECT referral_id FROM referral_reports WHERE report_id = $1) OR r.report_id = $1 LIMIT 1",
            report_id,
        )
        return referral_from(row) if row else None

    async def take_case_numbers(self, wanted: Mapping[tuple[str, int], int]) -> dict[tuple[str, int], int]:
        """Counts each area's and year's numbers on by as many as wanted, in one round trip; the counter rows
        stay locked until the transaction ends."""
        if not wanted:
            return {}
        keys = sorted(wanted)
        rows = await self.connection.fetch(
            "INSERT INTO case_number_counters AS c (area, year, last_number) "
            "SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) "
            "ON CONFLICT (area, year) DO UPDATE SET last_number = c.last_number + EXCLUDED.last_number "
            "RETURNING area, year, last_number",
            [area for area, _ in keys],
            [year for _, year in keys],
            [wanted[key] for key in keys],
        )
        return {(row["area"], row["year"]): row["last_number"] - wanted[row["area"], row["year"]] + 1 for row in rows}

    async def open_referral_of_child(self, child_key: str) -> Referral | None:
        row = await self.connection.fetchrow(
            f"{SELECT_REFERRALS} WHERE r.child_key = $1 AND r.status <> 'closed' "
            "ORDER BY r.created_at LIMIT 1 FOR UPDATE OF r",
            child_key,
        )
        return referral_from(row) if row else None

    async def children_with_open_referrals(self, child_keys: list[str]) -> set[str]:
        if not child_keys:
            return set()
        rows = await self.connection.fetch(
            "SELECT DISTINCT child_key FROM referrals WHERE child_key = ANY($1::text[]) AND status <> 'closed'",
            child_keys,
        )
        return {row["child_key"] for row in rows}

    async def reports_of_children_since(self, children: list[tuple[str, datetime]]) -> dict[str, int]:
        if not children:
            return {}
        rows = await self.connection.fetch(
            "SELECT c.child_key, count(rr.report_id) AS reports "
            "FROM unnest($1::text[], $2::timestamptz[]) AS c(child_key, since) "
            "LEFT JOIN referral_reports rr ON rr.child_key = c.child_key AND rr.received_at > c.since "
            "GROUP BY c.child_key",
            [key for key, _ in children],
            [since for _, since in children],
        )
        return {row["child_key"]: row["reports"] for row in rows}

    async def insert(self, referrals: list[NewReferral]) -> dict[UUID, Referral]:
        """In one round trip."""
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
                referral.received_at,
                referral.case_number,
                weighed_json(referral.weighed),
            )
            for referral in referrals
        ]
        stored = await self.connection.fetchmany(INSERT_REFERRAL, rows) if rows else []
        return {row["report_id"]: referral_from(row) for row in stored}

    async def file_first_reports(self, filed: list[tuple[UUID, ReportReceived, str | None]]) -> None:
        """In one round trip."""
        rows = [_report_row(referral_id, report, key, linked=False) for referral_id, report, key in filed]
        await self.connection.executemany(INSERT_REPORT, rows)

    async def file_linked_report(self, referral_id: UUID, report: ReportReceived, child_key: str) -> bool:
        return bool(await self.connection.fetchval(INSERT_REPORT, *_report_row(referral_id, report, child_key, True)))

    async def update(self, referral_id: UUID, fields: Mapping[str, object]) -> Referral:
        assignments = ", ".join(f"{column} = ${number}" for number, column in enumerate(fields, start=2))
        await self.connection.execute(
            f"UPDATE referrals SET {assignments}{', ' if fields else ''}version = version + 1, updated_at = now() "
            "WHERE referral_id = $1",
            referral_id,
            *fields.values(),
        )
        return referral_from(
            await self.connection.fetchrow(f"{SELECT_REFERRALS} WHERE r.referral_id = $1", referral_id)
        )

    async def append_history(self, entries: list[HistoryEntry]) -> None:
        """In one round trip."""
        await self.connection.executemany(
            "INSERT INTO referral_history (referral_id, action, actor, detail) VALUES ($1, $2, $3, $4)",
            [
                (entry.referral_id, entry.action, entry.actor, json.dumps(entry.detail, ensure_ascii=False))
                for entry in entries
            ],
        )

    async def add_copy(self, referral_id: UUID, station_code: str, reason: str) -> bool:
        added = await self.connection.fetchval(
            "INSERT INTO referral_copies (referral_id, station_code, reason) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING RETURNING true",
            referral_id,
            station_code,
            reason,
        )
        return bool(added)

    async def former_holders(self, referral_id: UUID) -> set[str]:
        rows = await self.connection.fetch(
            "SELECT DISTINCT placed.code FROM referral_history h, "
            "LATERAL (VALUES (h.detail->>'assignee_code'), (h.detail->>'moved_to')) AS placed(code) "
            "WHERE h.referral_id = $1 AND placed.code IS NOT NULL",
            referral_id,
        )
        return {row["code"] for row in rows}


def _report_row(referral_id: UUID, report: ReportReceived, child_key: str | None, linked: bool) -> tuple:
    return (report.report_id, referral_id, child_key, report.received_at, linked, report.model_dump_json())
