"""notification's reads by referral use an index, on real PostgreSQL: a scan of every deadline for each event
grows with the table and slowed the whole pipeline once. The planner is told to avoid sequential scans, so a
plan that still holds one has no index to use."""

import uuid

import pytest

from services.notification.adapters.deadline_sql import SO_FAR
from services.notification.app import MIGRATIONS
from shared.database import apply_migrations, create_pool


@pytest.fixture
async def pool(new_database):
    url = await new_database("notification_plans")
    apply_migrations(url, MIGRATIONS)
    pool = await create_pool(url)
    yield pool
    await pool.close()


async def test_a_referrals_clocks_so_far_are_read_through_indexes(pool):
    async with pool.acquire() as connection, connection.transaction():
        await connection.execute("SET LOCAL enable_seqscan = off")
        plan = "\n".join(row[0] for row in await connection.fetch(f"EXPLAIN {SO_FAR}", [uuid.uuid4(), uuid.uuid4()]))
    scanned = [line.strip() for line in plan.splitlines() if "Seq Scan on" in line]
    assert scanned == [], plan
    assert "deadlines_by_referral" in plan, plan
