"""PostgreSQL access for the cases reports are part of: each referral's status, priority and number, applied only
from a later version of the referral; its timeline; and which reports follow it."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from services.intake.domain.case_progress import CaseChange, TimelineEntry
from services.intake.domain.timeline import TimelineItem, timeline_item
from shared.domain.codes import Milestone, Priority

# A placeholder row (version 0) is made by an event that says no version: a later one overwrites it. One change
# of a referral may be announced twice with one version (REOPENED and the placement with the centre): the action
# says more, whichever comes first.
APPLY = """
INSERT INTO cases (referral_id, report_id, case_number, version, status, priority, assignee_code, assignee_name,
                   outcome, closed_at, rank)
VALUES ($1, $2, $3, $4, COALESCE($5::text, 'received'), $6, $7, $8, $9,
        CASE WHEN $5::text = 'closed' THEN $10::timestamptz END, $11)
ON CONFLICT (referral_id) DO UPDATE SET
    report_id = COALESCE(cases.report_id, EXCLUDED.report_id),
    case_number = COALESCE(EXCLUDED.case_number, cases.case_number),
    version = EXCLUDED.version,
    rank = EXCLUDED.rank,
    status = COALESCE($5::text, cases.status),
    priority = EXCLUDED.priority,
    assignee_code = EXCLUDED.assignee_code,
    assignee_name = CASE WHEN EXCLUDED.assignee_code IS NOT DISTINCT FROM cases.assignee_code
                         THEN COALESCE(EXCLUDED.assignee_name, cases.assignee_name) ELSE EXCLUDED.assignee_name END,
    outcome = CASE WHEN $5::text IS NULL THEN cases.outcome ELSE EXCLUDED.outcome END,
    closed_at = CASE WHEN $5::text IS NULL THEN cases.closed_at ELSE EXCLUDED.closed_at END,
    updated_at = now()
WHERE (cases.version, cases.rank) < (EXCLUDED.version, EXCLUDED.rank)
RETURNING true
"""


@dataclass(frozen=True)
class FollowingReport:
    report_id: UUID
    hotline_ticket_id: str | None
    platform_client: str | None


async def apply_changes(connection: asyncpg.Connection, changes: list[CaseChange]) -> list[CaseChange]:
    """The changes that moved their case on, in the referral's order; the rest were late or seen before."""
    applied = []
    for change in sorted(changes, key=lambda change: (change.referral_id, change.version)):
        moved = await connection.fetchval(
            APPLY,
            change.referral_id,
            change.report_id,
            change.case_number,
            change.version,
            change.status.value if change.status else None,
            change.priority.value,
            change.assignee_code,
            change.assignee_name,
            change.outcome.value if change.outcome else None,
            change.at,
            change.rank,
        )
        if moved:
            applied.append(change)
        elif change.assignee_name:  # a placement that came second still names the holder
            await connection.execute(
                "UPDATE cases SET assignee_name = $3 WHERE referral_id = $1 AND version = $4 "
                "AND assignee_code = $2 AND assignee_name IS NULL",
                change.referral_id,
                change.assignee_code,
                change.assignee_name,
                change.version,
            )
    return applied


async def note_case(
    connection: asyncpg.Connection, referral_id: UUID, priority: Priority, case_number: str | None
) -> None:
    """Makes sure a case row exists for a referral heard of before its placement (a linked report, a deadline)."""
    await connection.execute(
        "INSERT INTO cases (referral_id, case_number, version, status, priority) VALUES ($1, $2, 0, 'received', $3) "
        "ON CONFLICT (referral_id) DO UPDATE SET case_number = COALESCE(cases.case_number, EXCLUDED.case_number)",
        referral_id,
        case_number,
        priority.value,
    )


async def set_callback_due(connection: asyncpg.Connection, referral_id: UUID, due_at: datetime) -> None:
    await connection.execute("UPDATE cases SET callback_due_at = $2 WHERE referral_id = $1", referral_id, due_at)


async def holders(connection: asyncpg.Connection, referral_ids: list[UUID]) -> dict[UUID, tuple[str, str]]:
    """Who holds each case now, by code and name, where known."""
    rows = await connection.fetch(
        "SELECT referral_id, assignee_code, assignee_name FROM cases WHERE referral_id = ANY($1::uuid[]) "
        "AND assignee_name IS NOT NULL",
        referral_ids,
    )
    return {row["referral_id"]: (row["assignee_code"], row["assignee_name"]) for row in rows}


async def add_entries(connection: asyncpg.Connection, entries: list[TimelineEntry]) -> None:
    await connection.executemany(
        "INSERT INTO case_timeline (event_id, referral_id, report_id, at, what, who, detail, who_code) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING",
        [(e.event_id, e.referral_id, e.report_id, e.at, e.what, e.who, e.detail, e.who_code) for e in entries],
    )


async def name_earlier_steps(connection: asyncpg.Connection, named: list[tuple[UUID, str, str]]) -> None:
    """Steps recorded before their unit's name was known take it from the placement: (referral, code, name)."""
    await connection.executemany(
        "UPDATE case_timeline SET who = $3, who_code = NULL WHERE referral_id = $1 AND who_code = $2",
        named,
    )


async def following(connection: asyncpg.Connection, referral_id: UUID, report_id: UUID) -> list[FollowingReport]:
    """The reports of a case: the one it was opened for and every one linked to it."""
    rows = await connection.fetch(
        "SELECT report_id, hotline_ticket_id, platform_client FROM reports WHERE referral_id = $1 OR report_id = $2 "
        "ORDER BY report_id",
        referral_id,
        report_id,
    )
    return [FollowingReport(row["report_id"], row["hotline_ticket_id"], row["platform_client"]) for row in rows]


async def claim_milestone(
    connection: asyncpg.Connection, report_id: UUID, milestone: Milestone, version: int, at: datetime
) -> bool:
    """True the first time this step of this version of the case is announced for the report."""
    return bool(
        await connection.fetchval(
            "INSERT INTO progress_announced (report_id, milestone, version, at) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT DO NOTHING RETURNING true",
            report_id,
            milestone.value,
            version,
            at,
        )
    )


async def clear_done_deadlines(
    connection: asyncpg.Connection, referral_id: UUID, stages: list[str], closed: bool
) -> None:
    """A report's next deadline goes once its stage is done, and every one once the case is closed."""
    await connection.execute(
        "UPDATE reports SET next_deadline_stage = NULL, next_deadline_at = NULL "
        "WHERE referral_id = $1 AND (next_deadline_stage = ANY($2::text[]) OR $3)",
        referral_id,
        stages,
        closed,
    )


async def timeline_of(connection: asyncpg.Connection, report_id: UUID, referral_id: UUID | None) -> list[TimelineItem]:
    """The report's own entries and its case's, in time order."""
    rows = await connection.fetch(
        "SELECT at, what, who, detail FROM case_timeline "
        "WHERE report_id = $1 OR (report_id IS NULL AND referral_id = $2) ORDER BY at, id",
        report_id,
        referral_id,
    )
    return [timeline_item(row["at"], row["what"], row["who"], row["detail"]) for row in rows]
