"""PostgreSQL access for reports: storing one (once per 12345 ticket) and reading them back as the operator's
read model."""

import json
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.intake.domain.case_progress import CaseStatus, shown_status
from services.intake.domain.idempotency import EarlierUse
from services.intake.domain.report import Report
from services.intake.domain.report_views import RoutingStatus, StoredReport
from shared.domain.outcomes import Outcome

INSERT_COLUMNS = (
    "INSERT INTO reports (report_id, hotline_ticket_id, received_at, channel, created_by, child, "
    "division_code, address, concerns, immediate_danger, mandatory_report, narrative, reporter, "
    "reporter_identity, identity_shared, request_hash, platform_client, receipt_number, reporter_phone_hash, "
    "hotline_area) "
)
ONCE_PER_TICKET = "ON CONFLICT (hotline_ticket_id) WHERE hotline_ticket_id IS NOT NULL DO NOTHING"


async def insert_report(connection: asyncpg.Connection, report_id: UUID, report: Report, **fields: Any) -> bool:
    """Stores the report (with the fields report_row takes); False when its 12345 ticket is already stored."""
    inserted = await connection.fetchval(
        f"{INSERT_COLUMNS} VALUES ({', '.join(f'${n}' for n in range(1, 21))}) {ONCE_PER_TICKET} RETURNING true",
        *report_row(report_id, report, **fields),
    )
    return bool(inserted)


def report_row(
    report_id: UUID,
    report: Report,
    *,
    received_at: datetime,
    created_by: str,
    sealed_identity: bytes | None,
    request_hash: str,
    platform_client: str | None = None,
    receipt: tuple[str, str] | None = None,  # a mandatory reporter's receipt number and phone hash
    hotline_area: str | None = None,
) -> tuple:
    """The values of INSERT_COLUMNS, in their order."""
    child = report.child.model_dump(mode="json")
    return (
        report_id,
        report.hotline_ticket_id,
        received_at,
        report.channel.value,
        created_by,
        json.dumps(child, ensure_ascii=False, default=str),
        child.get("division_code"),
        child.get("address"),
        [concern.value for concern in report.concerns],
        report.immediate_danger,
        report.reporter.mandatory_reporter,
        report.narrative,
        json.dumps(report.reporter.model_dump(mode="json")),
        sealed_identity,
        report.identity_shared,
        request_hash,
        platform_client,
        *(receipt or (None, None)),
        hotline_area,
    )


async def receipt_of(connection: asyncpg.Connection, report_id: UUID) -> str | None:
    return await connection.fetchval("SELECT receipt_number FROM reports WHERE report_id = $1", report_id)


async def earlier_report_for_ticket(connection: asyncpg.Connection, ticket: str) -> EarlierUse:
    row = await connection.fetchrow("SELECT request_hash, report_id FROM reports WHERE hotline_ticket_id = $1", ticket)
    return EarlierUse(row["request_hash"], row["report_id"])


# The report with its case, where a referral came of it: the case's status, priority and holder win over the
# report's own routing columns, which a late event may have overwritten.
REPORT_COLUMNS = (
    "r.report_id, hotline_ticket_id, received_at, channel, created_by, created_at, division_code, child, concerns, "
    "immediate_danger, mandatory_report, narrative, reporter, reporter_identity, identity_shared, routing_state, "
    "r.referral_id, COALESCE(c.assignee_code, r.assignee_code) AS assignee_code, "
    "COALESCE(c.assignee_name, r.assignee_name) AS assignee_name, COALESCE(c.priority, r.priority) AS priority, "
    "routing_reason, next_deadline_stage, next_deadline_at, c.status AS case_status, c.case_number, c.outcome, "
    "c.closed_at, r.called_back_at, r.receipt_number, r.hotline_area"
)
FROM_REPORTS = "reports r LEFT JOIN cases c ON c.referral_id = r.referral_id AND c.version > 0"


async def report_by_id(connection: asyncpg.Connection, report_id: UUID) -> StoredReport | None:
    row = await connection.fetchrow(f"SELECT {REPORT_COLUMNS} FROM {FROM_REPORTS} WHERE r.report_id = $1", report_id)
    return None if row is None else _stored(row)


async def recent_reports(
    connection: asyncpg.Connection, created_by: str | None, area: str | None, limit: int
) -> list[StoredReport]:
    """The newest reports, of one operator when `created_by`, of an area when `area` (by the division, or by the
    hotline centre that took it: shared.domain.access.in_operators_area)."""
    rows = await connection.fetch(
        f"SELECT {REPORT_COLUMNS} FROM {FROM_REPORTS} WHERE ($1::text IS NULL OR created_by = $1) "
        "AND ($2::text IS NULL OR starts_with(r.division_code, $2) "
        "OR starts_with(r.hotline_area, $2)) "
        "ORDER BY created_at DESC LIMIT $3",
        created_by,
        area,
        limit,
    )
    return [_stored(row) for row in rows]


def _stored(row: asyncpg.Record) -> StoredReport:
    return StoredReport(
        report_id=row["report_id"],
        hotline_ticket_id=row["hotline_ticket_id"],
        received_at=row["received_at"],
        channel=row["channel"],
        division_code=row["division_code"],
        child=_json(row["child"]),
        concerns=list(row["concerns"]),
        immediate_danger=row["immediate_danger"],
        mandatory_report=row["mandatory_report"],
        narrative=row["narrative"],
        reporter=_json(row["reporter"]),
        sealed_identity=row["reporter_identity"],
        identity_shared=row["identity_shared"],
        receipt_number=row["receipt_number"],
        hotline_area=row["hotline_area"],
        routing=RoutingStatus(
            state=shown_status(_case_status(row["case_status"]), row["routing_state"]),
            case_number=row["case_number"],
            referral_id=str(row["referral_id"]) if row["referral_id"] else None,
            station_code=row["assignee_code"],
            station_name=row["assignee_name"],
            priority=row["priority"],
            reason=row["routing_reason"],
            next_deadline_stage=row["next_deadline_stage"],
            next_deadline_at=row["next_deadline_at"],
            outcome=row["outcome"],
            outcome_label=Outcome(row["outcome"]).label if row["outcome"] else None,
            closed_at=row["closed_at"],
            called_back_at=row["called_back_at"],
        ),
    )


def _case_status(value: str | None) -> CaseStatus | None:
    return CaseStatus(value) if value else None


def _json(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else value
