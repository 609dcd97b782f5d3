"""The coordinating committee's figures from PostgreSQL, for an area (a division code prefix) and a period:
by county and by township, open referrals, received, repeat reports, declines, the median and 90th
percentile time from the report to the acknowledgement and to the home visit, the children under monitoring by
level and those in temporary guardianship; a daily trend. Counts and
times only."""

from datetime import datetime

import asyncpg

from services.referral.domain.area_figures import level_of

# Where a referral is counted: with its holder, else (unrouted) where the child is.
PLACE = "coalesce(r.assignee_code, r.division_code, '')"
# A child in temporary guardianship stays counted after its case is closed, until the guardianship ends.
IN_GUARDIANSHIP = "r.guardianship_started_at IS NOT NULL AND r.guardianship_ended_at IS NULL"


def _percentile(fraction: float, step: str) -> str:
    """Hours from the report to a step, over the period's referrals. A step stored as earlier than the report
    (possible in data entered before action times were bounded) is left out rather than counted negative."""
    hours = f"CASE WHEN {step} >= r.received_at THEN extract(epoch FROM {step} - r.received_at) / 3600 END"
    return f"percentile_cont({fraction}) WITHIN GROUP (ORDER BY {hours}) FILTER (WHERE r.created_at >= $2)"


FIGURES_BY_PLACE = f"""
SELECT left({PLACE}, 6) AS county,
       CASE WHEN length({PLACE}) = 9 THEN {PLACE} END AS township,
       GROUPING(CASE WHEN length({PLACE}) = 9 THEN {PLACE} END) = 1 AS county_total,
       count(*) FILTER (WHERE r.status <> 'closed') AS open,
       count(*) FILTER (WHERE r.status <> 'closed' AND r.priority = 'P1') AS open_p1,
       count(*) FILTER (WHERE r.status = 'unrouted') AS unrouted,
       count(*) FILTER (WHERE r.created_at >= $2) AS received,
       count(*) FILTER (WHERE r.created_at >= $2 AND r.acknowledged_at IS NOT NULL) AS acknowledged,
       coalesce(sum(r.report_count - 1) FILTER (WHERE r.created_at >= $2), 0) AS repeat_reports,
       coalesce(sum(r.decline_count) FILTER (WHERE r.created_at >= $2), 0) AS declines,
       count(*) FILTER (WHERE r.status = 'monitoring' AND r.assessment = 'fair') AS monitoring_fair,
       count(*) FILTER (WHERE r.status = 'monitoring' AND r.assessment = 'poor') AS monitoring_poor,
       count(*) FILTER (WHERE r.status = 'monitoring' AND r.assessment = 'dangerous') AS monitoring_dangerous,
       count(*) FILTER (WHERE {IN_GUARDIANSHIP}) AS in_guardianship,
       {_percentile(0.5, "r.acknowledged_at")} AS acknowledge_hours_p50,
       {_percentile(0.9, "r.acknowledged_at")} AS acknowledge_hours_p90,
       {_percentile(0.5, "r.home_visit_at")} AS home_visit_hours_p50,
       {_percentile(0.9, "r.home_visit_at")} AS home_visit_hours_p90
FROM referrals r
WHERE {PLACE} LIKE $1 || '%' AND (r.status <> 'closed' OR r.created_at >= $2 OR {IN_GUARDIANSHIP})
GROUP BY GROUPING SETS ((left({PLACE}, 6)), (left({PLACE}, 6), CASE WHEN length({PLACE}) = 9 THEN {PLACE} END))
ORDER BY county, county_total DESC, township
"""

TREND = f"""
SELECT (r.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
       count(*) AS received,
       count(*) FILTER (WHERE r.acknowledged_at IS NOT NULL) AS acknowledged
FROM referrals r
WHERE {PLACE} LIKE $1 || '%' AND r.created_at >= $2
GROUP BY day ORDER BY day
"""

NAMES = "SELECT code, name FROM divisions WHERE code = ANY($1)"

# Each active station and the centre of a county, with what it holds open now.
LOAD = """
SELECT s.code, s.name, s.kind,
       count(r.referral_id) AS open,
       count(r.referral_id) FILTER (WHERE r.status = 'assigned') AS unacknowledged,
       count(r.referral_id) FILTER (WHERE r.priority = 'P1') AS open_p1
FROM stations s LEFT JOIN referrals r ON r.assignee_code = s.code AND r.status <> 'closed'
WHERE s.county_code = $1 AND s.active
GROUP BY s.code, s.name, s.kind
ORDER BY s.kind = 'station', s.code
"""


class DashboardFigures:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def by_place(self, area: str, since: datetime) -> list[dict]:
        """One row per county (its total), per county centre (its own referrals) and per township, with the
        names of both."""
        rows = [dict(row) for row in await self.connection.fetch(FIGURES_BY_PLACE, area, since)]
        codes = list({row["county"] for row in rows} | {row["township"] for row in rows if row["township"]})
        names = {row["code"]: row["name"] for row in await self.connection.fetch(NAMES, codes)}
        return [
            {key: value for key, value in row.items() if key != "county_total"}
            | {"county_name": names.get(row["county"]), "township_name": names.get(row["township"])}
            | {"level": level_of(row["county_total"], row["township"])}
            for row in rows
        ]

    async def trend(self, area: str, since: datetime) -> list[dict]:
        rows = await self.connection.fetch(TREND, area, since)
        return [
            {"day": row["day"].isoformat(), "received": row["received"], "acknowledged": row["acknowledged"]}
            for row in rows
        ]

    async def load(self, county: str) -> list[dict]:
        return [dict(row) for row in await self.connection.fetch(LOAD, county)]
