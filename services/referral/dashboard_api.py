"""The coordinating committee's figures from referral, for an area (a division code prefix) and a period:
by county and by township, open referrals, received, repeat reports, declines, and the median and 90th
percentile time to acknowledge and to the home visit; a daily trend; the same as CSV. Counts and times
only, nothing personal."""

import csv
import io
from datetime import datetime, timedelta
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel

from shared.auth.dependencies import require
from shared.domain.access import Principal, Role, may_watch_area
from shared.events import utcnow
from shared.http_errors import error_answers
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(prefix="/v1", tags=["dashboard"], responses=error_answers(401, 403, 404, 422, 503))
Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]
Watcher = Annotated[Principal, Depends(require(Role.COMMITTEE, Role.COUNTY_CENTRE, Role.ADMIN))]
Area = Annotated[str, Query(pattern=r"^[0-9]{2,9}$", description="a division code prefix")]
Days = Annotated[int, Query(ge=1, le=366, description="the period: this many days up to now")]

# Where a referral is counted: with its holder, else (unrouted) where the child is.
PLACE = "coalesce(r.assignee_code, r.division_code, '')"

FIGURES_BY_PLACE = f"""
SELECT left({PLACE}, 6) AS county,
       CASE WHEN length({PLACE}) = 9 THEN {PLACE} END AS township,
       GROUPING(CASE WHEN length({PLACE}) = 9 THEN {PLACE} END) = 1 AS county_total,
       count(*) FILTER (WHERE r.status <> 'closed') AS open,
       count(*) FILTER (WHERE r.status = 'unrouted') AS unrouted,
       count(*) FILTER (WHERE r.created_at >= $2) AS received,
       coalesce(sum(r.report_count - 1) FILTER (WHERE r.created_at >= $2), 0) AS repeat_reports,
       coalesce(sum(r.decline_count) FILTER (WHERE r.created_at >= $2), 0) AS declines,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.acknowledged_at - r.created_at) / 3600)
           FILTER (WHERE r.created_at >= $2) AS acknowledge_hours_p50,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.acknowledged_at - r.created_at) / 3600)
           FILTER (WHERE r.created_at >= $2) AS acknowledge_hours_p90,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.home_visit_at - r.created_at) / 3600)
           FILTER (WHERE r.created_at >= $2) AS home_visit_hours_p50,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.home_visit_at - r.created_at) / 3600)
           FILTER (WHERE r.created_at >= $2) AS home_visit_hours_p90
FROM referrals r
WHERE {PLACE} LIKE $1 || '%' AND (r.status <> 'closed' OR r.created_at >= $2)
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


class PlaceFigures(BaseModel):
    county: str
    county_name: str | None
    township: str | None  # None: the county's total
    township_name: str | None
    open: int
    unrouted: int
    received: int
    repeat_reports: int
    declines: int
    acknowledge_hours_p50: float | None
    acknowledge_hours_p90: float | None
    home_visit_hours_p50: float | None
    home_visit_hours_p90: float | None


class DayFigures(BaseModel):
    day: str
    received: int
    acknowledged: int


class Dashboard(BaseModel):
    area: str
    days: int
    since: datetime
    places: list[PlaceFigures]
    trend: list[DayFigures]


def _check_area(caller: Principal, area: str) -> None:
    if not may_watch_area(caller, area):
        raise HTTPException(status_code=404, detail="没有这个区域")


async def dashboard_of(connection: asyncpg.Connection, area: str, days: int) -> Dashboard:
    since = utcnow() - timedelta(days=days)
    rows = [dict(row) for row in await connection.fetch(FIGURES_BY_PLACE, area, since)]
    codes = list({row["county"] for row in rows} | {row["township"] for row in rows if row["township"]})
    names = {row["code"]: row["name"] for row in await connection.fetch(NAMES, codes)}
    places = [
        PlaceFigures(
            **{k: v for k, v in row.items() if k != "county_total"},
            county_name=names.get(row["county"]),
            township_name=names.get(row["township"]),
        )
        for row in rows
    ]
    trend = [
        DayFigures(day=row["day"].isoformat(), received=row["received"], acknowledged=row["acknowledged"])
        for row in await connection.fetch(TREND, area, since)
    ]
    return Dashboard(area=area, days=days, since=since, places=places, trend=trend)


@router.get("/dashboard", response_model=Dashboard)
async def dashboard(area: Area, runtime: Runtime, caller: Watcher, days: Days = 30) -> Dashboard:
    _check_area(caller, area)
    async with runtime.pool.acquire() as connection:
        return await dashboard_of(connection, area, days)


@router.get("/dashboard.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def dashboard_csv(area: Area, runtime: Runtime, caller: Watcher, days: Days = 30) -> Response:
    _check_area(caller, area)
    async with runtime.pool.acquire() as connection:
        figures = await dashboard_of(connection, area, days)
    out = io.StringIO()
    columns = list(PlaceFigures.model_fields)
    writer = csv.writer(out)
    writer.writerow(columns)
    for place in figures.places:
        writer.writerow([getattr(place, column) for column in columns])
    filename = f"dashboard-{area}-{days}d.csv"
    return Response(
        "\ufeff" + out.getvalue(),  # a byte-order mark, so that Excel reads the Chinese names as UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
