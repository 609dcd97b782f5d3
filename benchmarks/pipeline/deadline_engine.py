"""The deadline engine under a million pending deadlines: the scheduler's firing lag while 1,000 timers come
due each second, and whether the due-claim query uses the partial index."""

import asyncio
import random
import time
import uuid
from datetime import timedelta

import asyncpg

from benchmarks.pipeline.stats import summary
from services.notification.adapters.timer_repository import CLAIM_DUE
from services.notification.app import MIGRATIONS
from services.notification.application.timer_firing import TimerFiring
from shared.database import apply_migrations, ensure_database
from shared.events import utcnow

STATION = "140724104"


async def fill(pool: asyncpg.Pool, pending: int, due_per_second: int, seconds: int) -> None:
    """`pending` deadlines with a breach timer each; the first seconds × due_per_second come due one after
    another, the rest a month and more away."""
    now = utcnow()
    soon = due_per_second * seconds
    fire_at = [now + timedelta(seconds=5 + i / due_per_second) for i in range(soon)]
    fire_at += [now + timedelta(days=30, seconds=random.randrange(30 * 86400)) for _ in range(max(0, pending - soon))]
    deadlines = [
        (uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "acknowledge", "P2", STATION, now, at, False, "pending", 1)
        for at in fire_at
    ]
    await pool.copy_records_to_table(
        "deadlines",
        records=deadlines,
        columns=[
            "deadline_id",
            "referral_id",
            "report_id",
            "stage",
            "priority",
            "assignee_code",
            "starts_at",
            "due_at",
            "provisional",
            "status",
            "assignee_version",
        ],
    )
    timers = [(uuid.uuid4(), row[0], "breach", row[7], "pending") for row in deadlines]
    await pool.copy_records_to_table(
        "timers", records=timers, columns=["timer_id", "deadline_id", "kind", "fire_at", "status"]
    )
    for code, kind in ((STATION, "station"), (STATION[:6], "county_centre"), (STATION[:4], "committee")):
        await pool.execute(
            "INSERT INTO receivers (code, kind, name, webhook_url, updated_at) VALUES ($1, $2, $3, $4, now())",
            code,
            kind,
            f"{kind} {code}",
            "http://127.0.0.1:9/hook",  # nothing delivers during this benchmark; the notifications wait
        )
    await pool.execute("ANALYZE deadlines; ANALYZE timers")


async def start_the_clock(pool: asyncpg.Pool, filled_at, lead_seconds: float = 2.0) -> None:
    """Moves the timers that come due soon so that the first is due `lead_seconds` from now: filling takes
    a while, and none should be overdue before the scheduler starts."""
    await pool.execute(
        "UPDATE timers SET fire_at = fire_at + (now() - $1::timestamptz) + make_interval(secs => $2 - 5) "
        "WHERE fire_at < $1::timestamptz + interval '1 day'",
        filled_at,
        lead_seconds,
    )


async def claim_plan(pool: asyncpg.Pool) -> str:
    rows = await pool.fetch(f"EXPLAIN {CLAIM_DUE}", utcnow(), 200, timedelta(minutes=1))
    return "\n".join(row[0] for row in rows)


async def run(admin_url: str, pending: int = 1_000_000, due_per_second: int = 1000, seconds: int = 30) -> dict:
    url = await ensure_database(admin_url, f"benchmark_deadlines_{uuid.uuid4().hex[:6]}")
    await asyncio.to_thread(apply_migrations, url, MIGRATIONS)
    pool = await asyncpg.create_pool(url, min_size=2, max_size=4)
    try:
        started, filled_at = time.perf_counter(), utcnow()
        await fill(pool, pending, due_per_second, seconds)
        fill_seconds = time.perf_counter() - started
        plan = await claim_plan(pool)
        await start_the_clock(pool, filled_at)
        scheduler = asyncio.create_task(TimerFiring(pool, batch=200, idle_seconds=0.05).run())
        await asyncio.sleep(2 + seconds + 5)
        scheduler.cancel()
        lags = await pool.fetch(
            "SELECT extract(epoch FROM fired_at - fire_at) * 1000 AS lag FROM timers WHERE status = 'fired'"
        )
        still_due = await pool.fetchval("SELECT count(*) FROM timers WHERE status = 'pending' AND fire_at < now()")
    finally:
        await pool.close()
    return {
        "pending": pending,
        "due_per_second": due_per_second,
        "fill_seconds": fill_seconds,
        "lag": summary([float(row["lag"]) for row in lags]),
        "left_due": still_due,
        "plan": plan,
        "uses_partial_index": "timers_pending_due" in plan,
    }
