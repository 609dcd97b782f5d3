"""PostgreSQL access for stuck reports: the dead letters seen, the reports stuck and why, until cleared."""

from dataclasses import replace
from datetime import datetime
from uuid import UUID

import asyncpg

from services.intake.domain.stuck import StuckCounts, StuckMark
from shared.dead_letter_watch import DeadLetterSeen
from shared.domain.codes import StuckReason

MARK_COLUMNS = "report_id, reason, since, error, source_topic, consumer_group, event_id"

# Each dead letter once by its position; it names a report only when the report is intake's own.
RECORD_DEAD_LETTERS = """
INSERT INTO dead_letters (topic, partition, "offset", set_aside_at, source_topic, consumer_group, error,
                          report_id, event_id)
SELECT l.topic, l.partition, l.position, l.at, l.source_topic, l.consumer_group, l.error, r.report_id, l.event_id
FROM unnest($1::text[], $2::int[], $3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[],
            $8::uuid[], $9::uuid[])
     AS l(topic, partition, position, at, source_topic, consumer_group, error, report_id, event_id)
LEFT JOIN reports r ON r.report_id = l.report_id
ON CONFLICT DO NOTHING
RETURNING topic, partition, "offset", report_id
"""

# Reports still waiting for a referral after the set time, not yet marked, oldest first.
MARK_WAITING = f"""
WITH marked AS (
    INSERT INTO stuck_reports (report_id, reason, since)
    SELECT report_id, 'no_referral', created_at FROM reports
    WHERE routing_state = 'received' AND created_at < $1 AND NOT EXISTS (
        SELECT 1 FROM stuck_reports s
        WHERE s.report_id = reports.report_id AND s.reason = 'no_referral' AND s.cleared_at IS NULL)
    ORDER BY created_at LIMIT $2
    ON CONFLICT (report_id, reason) WHERE cleared_at IS NULL DO NOTHING
    RETURNING {MARK_COLUMNS}
)
SELECT marked.*, r.hotline_ticket_id FROM marked JOIN reports r USING (report_id)
"""

# A dead letter marks its report unless the report went further after it was set aside (it was replayed
# already: a watcher reading old dead letters again must not mark what has moved on).
MARK = f"""
WITH marked AS (
    INSERT INTO stuck_reports ({MARK_COLUMNS})
    SELECT report_id, $2, $3, $4, $5, $6, $7 FROM reports
    WHERE report_id = $1 AND (state_updated_at IS NULL OR state_updated_at <= $3)
    ON CONFLICT (report_id, reason) WHERE cleared_at IS NULL DO NOTHING
    RETURNING {MARK_COLUMNS}
)
SELECT marked.*, r.hotline_ticket_id FROM marked JOIN reports r USING (report_id)
"""


async def record_dead_letters(connection: asyncpg.Connection, letters: list[DeadLetterSeen]) -> list[DeadLetterSeen]:
    """Stores the dead letters not seen before and returns them, each naming its report only when it is
    intake's own."""
    fields = ("topic", "partition", "offset", "at", "source_topic", "consumer_group", "error", "report_id", "event_id")
    rows = await connection.fetch(
        RECORD_DEAD_LETTERS, *([getattr(letter, name) for letter in letters] for name in fields)
    )
    known = {(row["topic"], row["partition"], row["offset"]): row["report_id"] for row in rows}
    return [
        replace(letter, report_id=known[position])
        for letter in letters
        if (position := (letter.topic, letter.partition, letter.offset)) in known
    ]


async def mark(connection: asyncpg.Connection, marks: list[StuckMark]) -> list[tuple[StuckMark, str | None]]:
    """Marks each report stuck unless it already is for that reason; returns the new marks with their tickets."""
    marked = []
    for one in marks:  # dead letters are rare: one statement each
        row = await connection.fetchrow(
            MARK,
            one.report_id,
            one.reason.value,
            one.since,
            one.error,
            one.source_topic,
            one.consumer_group,
            one.event_id,
        )
        if row is not None:
            marked.append(_marked(row))
    return marked


async def mark_waiting(
    connection: asyncpg.Connection, accepted_before: datetime, limit: int
) -> list[tuple[StuckMark, str | None]]:
    return [_marked(row) for row in await connection.fetch(MARK_WAITING, accepted_before, limit)]


async def clear_reports(connection: asyncpg.Connection, report_ids: list[UUID]) -> None:
    """A referral came of these reports: nothing holds them any more."""
    await connection.execute(
        "UPDATE stuck_reports SET cleared_at = now() WHERE cleared_at IS NULL AND report_id = ANY($1::uuid[])",
        report_ids,
    )


async def clear_events(connection: asyncpg.Connection, event_ids: list[UUID]) -> None:
    """These events, once set aside, have now been handled."""
    await connection.execute(
        "UPDATE stuck_reports SET cleared_at = now() "
        "WHERE cleared_at IS NULL AND reason = 'dead_lettered' AND event_id = ANY($1::uuid[])",
        event_ids,
    )


async def counts(connection: asyncpg.Connection, strays_since: datetime) -> StuckCounts:
    stuck = await connection.fetch(
        "SELECT reason, count(*) FROM stuck_reports WHERE cleared_at IS NULL GROUP BY reason"
    )
    strays = await connection.fetchval(
        "SELECT count(*) FROM dead_letters WHERE report_id IS NULL AND set_aside_at > $1", strays_since
    )
    return StuckCounts({StuckReason(row["reason"]): row["count"] for row in stuck}, strays)


async def open_marks(
    connection: asyncpg.Connection, area: str | None, limit: int
) -> list[tuple[StuckMark, str | None]]:
    """The reports stuck now, longest first; of an operator's area when `area` (report_repository.recent_reports)."""
    rows = await connection.fetch(
        f"SELECT {', '.join(f's.{column}' for column in MARK_COLUMNS.split(', '))}, r.hotline_ticket_id "
        "FROM stuck_reports s JOIN reports r USING (report_id) WHERE s.cleared_at IS NULL "
        "AND ($2::text IS NULL OR starts_with(r.division_code, $2) OR starts_with(r.hotline_area, $2)) "
        "ORDER BY s.since LIMIT $1",
        limit,
        area,
    )
    return [_marked(row) for row in rows]


async def open_count(connection: asyncpg.Connection, area: str) -> int:
    """How many reports are stuck now whose child is placed in an area: a count, for the committee's summary."""
    return await connection.fetchval(
        "SELECT count(*) FROM stuck_reports s JOIN reports r USING (report_id) "
        "WHERE s.cleared_at IS NULL AND starts_with(r.division_code, $1)",
        area,
    )


def _marked(row: asyncpg.Record) -> tuple[StuckMark, str | None]:
    values = dict(row)
    ticket = values.pop("hotline_ticket_id")
    return StuckMark(**values | {"reason": StuckReason(values["reason"])}), ticket
