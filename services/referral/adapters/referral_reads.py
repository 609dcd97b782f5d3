"""PostgreSQL reads of referrals for the API: by report, by holder, the unrouted queue, and a referral's
history and reports."""

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.referral.adapters.referral_rows import REFERRAL_COLUMNS, SELECT_REFERRALS, decoded, referral_from
from services.referral.domain.case_views import FiledReport
from services.referral.domain.referral import Referral


class ReferralReads:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def by_id(self, referral_id: UUID) -> Referral | None:
        row = await self.connection.fetchrow(f"{SELECT_REFERRALS} WHERE r.referral_id = $1", referral_id)
        return referral_from(row) if row else None

    async def for_report(self, report_id: UUID) -> list[Referral]:
        """The referral a report opened, or the one it was linked to."""
        rows = await self.connection.fetch(
            f"{SELECT_REFERRALS} WHERE r.referral_id IN "
            "(SELECT referral_id FROM referral_reports WHERE report_id = $1) OR r.report_id = $1",
            report_id,
        )
        return [referral_from(row) for row in rows]

    async def by_case_number(self, case_number: str) -> Referral | None:
        row = await self.connection.fetchrow(f"{SELECT_REFERRALS} WHERE r.case_number = $1", case_number)
        return referral_from(row) if row else None

    async def copies_held_by(self, station_code: str) -> list[tuple[Referral, str, datetime]]:
        """The referrals a station was sent a copy of, newest first, with why and when."""
        rows = await self.connection.fetch(
            f"SELECT {REFERRAL_COLUMNS}, c.reason AS copy_reason, c.created_at AS copied_at "
            "FROM referral_copies c JOIN referrals r ON r.referral_id = c.referral_id "
            "LEFT JOIN stations s ON s.code = r.assignee_code WHERE c.station_code = $1 ORDER BY c.created_at DESC",
            station_code,
        )
        return [(referral_from(_without_copy(row)), row["copy_reason"], row["copied_at"]) for row in rows]

    async def held_by(self, assignee_code: str, open_only: bool) -> list[Referral]:
        rows = await self.connection.fetch(
            f"{SELECT_REFERRALS} WHERE r.assignee_code = $1 AND (NOT $2 OR r.status <> 'closed') ORDER BY r.created_at",
            assignee_code,
            open_only,
        )
        return [referral_from(row) for row in rows]

    async def unrouted(self) -> list[Referral]:
        """The most urgent first (P1 sorts before P2), then the oldest."""
        rows = await self.connection.fetch(
            f"{SELECT_REFERRALS} WHERE r.status = 'unrouted' ORDER BY r.priority, r.created_at, r.referral_id"
        )
        return [referral_from(row) for row in rows]

    async def history_of(self, referral_id: UUID) -> list[dict[str, Any]]:
        rows = await self.connection.fetch(
            "SELECT action, actor, detail, at FROM referral_history WHERE referral_id = $1 ORDER BY id",
            referral_id,
        )
        return [dict(row) | {"detail": decoded(row["detail"])} for row in rows]

    async def reports_of(self, referral_id: UUID) -> list[FiledReport]:
        rows = await self.connection.fetch(
            "SELECT report_id, received_at, linked, report FROM referral_reports WHERE referral_id = $1 "
            "ORDER BY received_at, report_id",
            referral_id,
        )
        return [
            FiledReport(row["report_id"], row["received_at"], row["linked"], decoded(row["report"])) for row in rows
        ]


def _without_copy(row: asyncpg.Record) -> dict[str, Any]:
    return {name: value for name, value in dict(row).items() if name not in ("copy_reason", "copied_at")}
