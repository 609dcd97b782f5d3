"""The dead letters seen, in PostgreSQL, each once by its position, with the case they are about when this
service knows its clocks."""

import asyncpg

from services.notification.domain.dead_letters import DeadLetterEntry
from shared.dead_letter_watch import DeadLetterSeen

RECORD = """
INSERT INTO dead_letters (topic, partition, "offset", set_aside_at, source_topic, consumer_group, error,
                          report_id, referral_id, event_id)
SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[],
                     $8::uuid[], $9::uuid[], $10::uuid[])
ON CONFLICT DO NOTHING
"""

# The case by the referral the body named, else by its report (a report's first referral).
NEWEST = """
SELECT d.topic, d.partition, d."offset", d.set_aside_at, d.source_topic, d.consumer_group, d.error, d.report_id,
       coalesce(d.referral_id, k.referral_id) AS referral_id, d.event_id, k.case_number,
       k.assignee_code AS holder_code
FROM dead_letters d
LEFT JOIN LATERAL (
    SELECT referral_id, case_number, assignee_code FROM deadlines
    WHERE referral_id = d.referral_id OR (d.referral_id IS NULL AND report_id = d.report_id)
    ORDER BY created_at LIMIT 1
) k ON true
ORDER BY d.set_aside_at DESC, d.topic, d.partition, d."offset"
LIMIT $1
"""

FIELDS = (
    "topic",
    "partition",
    "offset",
    "at",
    "source_topic",
    "consumer_group",
    "error",
    "report_id",
    "referral_id",
    "event_id",
)


async def record(connection: asyncpg.Connection, letters: list[DeadLetterSeen]) -> None:
    """Stores the dead letters not stored before."""
    await connection.execute(RECORD, *([getattr(letter, name) for letter in letters] for name in FIELDS))


async def newest(connection: asyncpg.Connection, limit: int) -> list[DeadLetterEntry]:
    return [DeadLetterEntry(**dict(row)) for row in await connection.fetch(NEWEST, limit)]
