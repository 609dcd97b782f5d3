"""Removes the personal data of reports whose case has been closed longer than the retention: the child's
identity and addresses, the narrative, the reporter's encrypted identity and phone hash, the callbacks' notes
(shared/domain/anonymisation.py says what stays). Oldest closings first, `batch` reports a transaction."""

import json

import asyncpg

from shared.domain.anonymisation import REMOVED_TEXT, anonymised_child, anonymised_reporter
from shared.timezones import CHINA

DUE = """
SELECT r.report_id, r.received_at, r.child, r.reporter FROM reports r JOIN cases c ON c.referral_id = r.referral_id
WHERE c.status = 'closed' AND c.closed_at < now() - make_interval(years => $1) AND r.anonymised_at IS NULL
ORDER BY c.closed_at LIMIT $2 FOR UPDATE OF r SKIP LOCKED
"""
ANONYMISE = """
UPDATE reports SET child = $2::jsonb, reporter = $3::jsonb, address = NULL, narrative = $4, reporter_identity = NULL,
    reporter_phone_hash = NULL, anonymised_at = now()
WHERE report_id = $1
"""


async def anonymise_closed_reports(pool: asyncpg.Pool, years: int, batch: int) -> int:
    """Anonymises every report due; returns how many."""
    done = 0
    while True:
        async with pool.acquire() as connection, connection.transaction():
            rows = await connection.fetch(DUE, years, batch)
            await connection.executemany(ANONYMISE, [_anonymised(row) for row in rows])
            ids = [row["report_id"] for row in rows]
            await connection.execute("UPDATE callbacks SET notes = NULL WHERE report_id = ANY($1::uuid[])", ids)
        done += len(rows)
        if len(rows) < batch:
            return done


def _anonymised(row: asyncpg.Record) -> tuple:
    day = row["received_at"].astimezone(CHINA).date()
    child = anonymised_child(json.loads(row["child"]), day)
    reporter = anonymised_reporter(json.loads(row["reporter"]))
    return (row["report_id"], json.dumps(child, ensure_ascii=False), json.dumps(reporter), REMOVED_TEXT)
