"""Deletes what is kept only for a while, in every service's database: outbox rows once published, the ids of
processed events, audit entries past the audit period, idempotency keys with their stored answers, and the
record of dead letters once their topic has let them go (README, Retention). In batches, each its own short
statement, so that the live tables are never locked for long; each deletion is counted and logged."""

import logging
from dataclasses import dataclass
from enum import StrEnum

import asyncpg

log = logging.getLogger(__name__)


class Kept(StrEnum):
    """The tables that are trimmed, by what ages a row."""

    OUTBOX = "outbox"  # published_at: a row not yet published is never deleted
    PROCESSED_EVENTS = "processed_events"  # processed_at
    AUDIT = "audit_log"  # at
    IDEMPOTENCY_KEYS = "idempotency_keys"  # created_at; intake and referral (a stored answer names the child)
    DEAD_LETTERS = "dead_letters"  # set_aside_at; intake and notification, as long as the topics keep them


# Tables only some services have: trimmed where they exist.
SOME_SERVICES = frozenset({Kept.IDEMPOTENCY_KEYS, Kept.DEAD_LETTERS})


@dataclass(frozen=True)
class RetentionPolicy:
    outbox_days: int
    processed_events_days: int
    audit_years: int
    idempotency_keys_days: int = 30
    dead_letters_days: int = 90

    def age(self, kept: Kept) -> tuple[int, str]:
        """How old a row may grow: a number and its unit, as `make_interval` names it."""
        return {
            Kept.OUTBOX: (self.outbox_days, "days"),
            Kept.PROCESSED_EVENTS: (self.processed_events_days, "days"),
            Kept.AUDIT: (self.audit_years, "years"),
            Kept.IDEMPOTENCY_KEYS: (self.idempotency_keys_days, "days"),
            Kept.DEAD_LETTERS: (self.dead_letters_days, "days"),
        }[kept]


# The oldest rows first, `$2` at a time. The outbox and the audit by their ids (an index, and the same order
# as their times); processed events by a scan that stops at the batch's last row.
_BATCHES = {
    Kept.OUTBOX: """DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
        WHERE published_at < now() - make_interval(days => $1) ORDER BY id LIMIT $2)""",
    Kept.PROCESSED_EVENTS: """DELETE FROM processed_events WHERE event_id IN (SELECT event_id FROM processed_events
        WHERE processed_at < now() - make_interval(days => $1) LIMIT $2)""",
    Kept.AUDIT: """DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log
        WHERE at < now() - make_interval(years => $1) ORDER BY id LIMIT $2)""",
    Kept.IDEMPOTENCY_KEYS: """DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys
        WHERE created_at < now() - make_interval(days => $1) LIMIT $2)""",
    Kept.DEAD_LETTERS: """DELETE FROM dead_letters WHERE ctid IN (SELECT ctid FROM dead_letters
        WHERE set_aside_at < now() - make_interval(days => $1) LIMIT $2)""",
}


async def purge(pool: asyncpg.Pool, policy: RetentionPolicy, batch: int = 1000) -> dict[Kept, int]:
    """Deletes every row past its retention, `batch` rows a statement; returns how many went from each table."""
    deleted: dict[Kept, int] = {}
    for kept, statement in _BATCHES.items():
        if kept in SOME_SERVICES and not await pool.fetchval("SELECT to_regclass($1) IS NOT NULL", kept.value):
            continue
        number, unit = policy.age(kept)
        deleted[kept] = 0
        while True:
            status = await pool.execute(statement, number, batch)
            count = int(status.split()[-1])  # "DELETE <n>"
            deleted[kept] += count
            if count < batch:
                break
        log.info("retention: deleted %d row(s) of %s older than %d %s", deleted[kept], kept, number, unit)
    return deleted
