"""Removes the personal data of reports whose referral has been closed longer than the retention: in the
report referral keeps (shared/domain/anonymisation.py says what stays), the child's linking key, the pairing
helper's name and phone, why the child was taken into guardianship, and the notes in the referral's history.
Oldest closings first, `batch` reports a transaction."""

import json

import asyncpg

from shared.domain.anonymisation import anonymised_report
from shared.timezones import CHINA

DUE = """
SELECT rr.report_id, rr.referral_id, rr.received_at, rr.report FROM referral_reports rr
JOIN referrals r ON r.referral_id = rr.referral_id
WHERE r.status = 'closed' AND r.closed_at < now() - make_interval(years => $1) AND rr.anonymised_at IS NULL
ORDER BY r.closed_at LIMIT $2 FOR UPDATE OF rr SKIP LOCKED
"""
ANONYMISE = (
    "UPDATE referral_reports SET report = $2::jsonb, child_key = NULL, anonymised_at = now() WHERE report_id = $1"
)
# The pairing helper is a person too; why a child was taken into guardianship is free text that may name people.
FORGET_CHILD = (
    "UPDATE referrals SET child_key = NULL, helper_name = NULL, helper_phone = NULL, guardianship_reason = NULL "
    "WHERE referral_id = ANY($1::uuid[])"
)
DROP_NOTES = (
    "UPDATE referral_history SET detail = detail - 'notes' WHERE referral_id = ANY($1::uuid[]) AND detail ? 'notes'"
)


async def anonymise_closed_reports(pool: asyncpg.Pool, years: int, batch: int) -> int:
    """Anonymises every report due; returns how many."""
    done = 0
    while True:
        async with pool.acquire() as connection, connection.transaction():
            rows = await connection.fetch(DUE, years, batch)
            await connection.executemany(ANONYMISE, [_anonymised(row) for row in rows])
            referrals = list({row["referral_id"] for row in rows})
            await connection.execute(FORGET_CHILD, referrals)
            await connection.execute(DROP_NOTES, referrals)
        done += len(rows)
        if len(rows) < batch:
            return done


def _anonymised(row: asyncpg.Record) -> tuple:
    day = row["received_at"].astimezone(CHINA).date()
    return (row["report_id"], json.dumps(anonymised_report(json.loads(row["report"]), day), ensure_ascii=False))
