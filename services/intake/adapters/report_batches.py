"""PostgreSQL access for a batch of reports, set-based: one statement stores every row (once per 12345 ticket),
one reads what is stored under the tickets that did not go in, one claims every first step."""

import json
from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import asyncpg

from services.intake.adapters.report_repository import INSERT_COLUMNS, ONCE_PER_TICKET
from services.intake.domain.batch import Stored
from services.intake.domain.idempotency import EarlierUse
from shared.domain.codes import Milestone

# The type of each value of report_repository.report_row, in its order; concerns (a text[] each) travel as jsonb,
# since unnest would flatten an array of arrays.
TYPES = ("uuid", "text", "timestamptz", "text", "text", "jsonb", "text", "text", "jsonb", "bool")
TYPES += ("bool", "text", "jsonb", "bytea", "bool", "text", "text", "text", "text", "text")
CONCERNS = 8
SELECTED = ", ".join(
    f"ARRAY(SELECT jsonb_array_elements_text(c{n}))" if n == CONCERNS else f"c{n}" for n in range(len(TYPES))
)
INSERT_ALL = (
    f"{INSERT_COLUMNS} SELECT {SELECTED} "
    f"FROM unnest({', '.join(f'${n + 1}::{kind}[]' for n, kind in enumerate(TYPES))}) WITH ORDINALITY "
    f"AS r({', '.join(f'c{n}' for n in range(len(TYPES)))}, n) ORDER BY n "
    f"{ONCE_PER_TICKET} RETURNING report_id"
)


async def insert_reports(connection: asyncpg.Connection, rows: Sequence[tuple]) -> set[UUID]:
    """Stores the rows (report_repository.report_row's), in their order; the ids of those that went in: a row whose
    ticket is already stored does not."""
    if not rows:
        return set()
    columns = [list(column) for column in zip(*rows, strict=True)]
    columns[CONCERNS] = [json.dumps(concerns) for concerns in columns[CONCERNS]]
    return {row["report_id"] for row in await connection.fetch(INSERT_ALL, *columns)}


async def stored_under(connection: asyncpg.Connection, tickets: Sequence[str]) -> dict[str, Stored]:
    """The report stored under each of these tickets, by ticket."""
    if not tickets:
        return {}
    rows = await connection.fetch(
        "SELECT hotline_ticket_id, request_hash, report_id, receipt_number FROM reports "
        "WHERE hotline_ticket_id = ANY($1::text[])",
        list(tickets),
    )
    return {
        row["hotline_ticket_id"]: Stored(EarlierUse(row["request_hash"], row["report_id"]), row["receipt_number"])
        for row in rows
    }


async def claim_received(connection: asyncpg.Connection, received: Sequence[tuple[UUID, datetime]]) -> set[UUID]:
    """Claims the first step (received) of each report; the ids claimed now, as claim_milestone one at a time."""
    if not received:
        return set()
    ids, times = zip(*received, strict=True)
    rows = await connection.fetch(
        "INSERT INTO progress_announced (report_id, milestone, version, at) "
        "SELECT id, $3, 0, at FROM unnest($1::uuid[], $2::timestamptz[]) AS r(id, at) "
        "ON CONFLICT DO NOTHING RETURNING report_id",
        list(ids),
        list(times),
        Milestone.RECEIVED.value,
    )
    return {row["report_id"] for row in rows}
