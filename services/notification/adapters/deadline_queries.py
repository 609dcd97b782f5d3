"""What the pages and dashboards read of the deadlines: a referral's, the running clocks a station or centre
holds, the overdue stages of an area, and how an area's stations keep their deadlines over a period."""

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from shared.domain.referrals import Stage

DEADLINE_COLUMNS = (
    "deadline_id, referral_id, report_id, stage, priority, assignee_code, starts_at, due_at, provisional, status, "
    "policy_version, area_code, case_number"
)
# A deadline with the request for more time that waits on it, if any (one at most).
DEADLINES = f"""
SELECT {", ".join(f"d.{column}" for column in DEADLINE_COLUMNS.split(", "))},
       e.extension_id AS pending_extension_id, e.requested_until AS pending_extension_until
FROM deadlines d LEFT JOIN extensions e ON e.deadline_id = d.deadline_id AND e.decision = 'pending'
"""

OVERDUE = f"""
SELECT {", ".join(f"d.{column}" for column in DEADLINE_COLUMNS.split(", "))},
       e.extension_id AS pending_extension_id, e.requested_until AS pending_extension_until,
       (extract(epoch FROM now() - d.due_at) / 60)::int AS overdue_by_minutes,
       EXISTS (SELECT 1 FROM timers t WHERE t.deadline_id = d.deadline_id AND t.kind = 'supervision'
               AND t.status = 'fired')
           OR EXISTS (SELECT 1 FROM supervisions s WHERE s.deadline_id = d.deadline_id) AS supervision_issued
FROM deadlines d LEFT JOIN extensions e ON e.deadline_id = d.deadline_id AND e.decision = 'pending'
WHERE d.status = 'pending' AND d.due_at < now()
    AND (d.assignee_code LIKE $1 || '%' OR d.area_code LIKE $1 || '%')
ORDER BY d.due_at LIMIT 1000
"""

# Of the stages decided in the period (met on time, or past due unmet or met late), those on time and those
# late, by county and by township; and those overdue now.
PERFORMANCE = """
SELECT left(assignee_code, 6) AS county,
       CASE WHEN length(assignee_code) = 9 THEN assignee_code END AS township,
       stage,
       count(*) FILTER (WHERE status = 'met' AND met_at <= due_at AND met_at >= $2) AS on_time,
       count(*) FILTER (
           WHERE due_at >= $2 AND due_at <= now() AND (status = 'pending' OR (status = 'met' AND met_at > due_at))
       ) AS late,
       count(*) FILTER (WHERE status = 'pending' AND due_at < now()) AS overdue_now
FROM deadlines
WHERE assignee_code LIKE $1 || '%'
GROUP BY GROUPING SETS (
    (left(assignee_code, 6), stage),
    (left(assignee_code, 6), CASE WHEN length(assignee_code) = 9 THEN assignee_code END, stage)
)
HAVING GROUPING(CASE WHEN length(assignee_code) = 9 THEN assignee_code END) = 1
    OR length(max(assignee_code)) = 9
ORDER BY county, township NULLS FIRST, stage
"""

Row = dict[str, Any]


async def deadlines_of_referral(pool: asyncpg.Pool, referral_id: UUID) -> list[Row]:
    rows = await pool.fetch(f"{DEADLINES} WHERE d.referral_id = $1 ORDER BY d.due_at", referral_id)
    return [dict(row) for row in rows]


async def running_clocks_of(pool: asyncpg.Pool, holder_code: str) -> list[Row]:
    """The soonest first: a station's inbox's order."""
    rows = await pool.fetch(
        f"{DEADLINES} WHERE d.assignee_code = $1 AND d.status = 'pending' ORDER BY d.due_at LIMIT 5000",
        holder_code,
    )
    return [dict(row) for row in rows]


async def overdue_in(pool: asyncpg.Pool, area: str) -> list[Row]:
    return [dict(row) for row in await pool.fetch(OVERDUE, area)]


async def stage_performance(pool: asyncpg.Pool, area: str, since: datetime) -> list[Row]:
    return [dict(row) for row in await pool.fetch(PERFORMANCE, area, since)]


# Decided since $2 (met on time; or due, and unmet or met late), in the whole area, of one stage ($3) or all.
ON_TIME = """
SELECT count(*) FILTER (WHERE status = 'met' AND met_at <= due_at AND met_at >= $2) AS on_time,
       count(*) FILTER (
           WHERE due_at >= $2 AND due_at <= now() AND (status = 'pending' OR (status = 'met' AND met_at > due_at))
       ) AS late
FROM deadlines
WHERE assignee_code LIKE $1 || '%' AND ($3::text IS NULL OR stage = $3)
"""


async def on_time_since(pool: asyncpg.Pool, area: str, since: datetime, stage: Stage | None = None) -> Row:
    return dict(await pool.fetchrow(ON_TIME, area, since, stage and stage.value))
