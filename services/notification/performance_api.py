"""How the stations of an area keep their deadlines, by county (and township) and stage, over a period: of the
stages decided in it (met on time, or past due unmet or met late), the share met on time; and those overdue
now. For the committee's dashboard."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel

from shared.auth.dependencies import require
from shared.domain.access import Principal, Role, may_watch_area
from shared.events import utcnow
from shared.http_errors import error_answers
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(prefix="/v1", tags=["dashboard"], responses=error_answers(401, 403, 404, 422, 503))

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


class StagePerformance(BaseModel):
    county: str
    township: str | None  # None: the county's total
    stage: str
    on_time: int
    late: int  # past due unmet, or met after it
    on_time_rate: float | None  # None while nothing was decided
    overdue_now: int


@router.get("/stage-performance", response_model=list[StagePerformance])
async def stage_performance(
    area: Annotated[str, Query(pattern=r"^[0-9]{2,9}$", description="a division code prefix")],
    runtime: Annotated[ServiceRuntime, Depends(runtime_of)],
    caller: Annotated[Principal, Depends(require(Role.COMMITTEE, Role.COUNTY_CENTRE, Role.ADMIN))],
    days: Annotated[int, Query(ge=1, le=366)] = 30,
) -> list[StagePerformance]:
    if not may_watch_area(caller, area):
        raise HTTPException(status_code=404, detail="没有这个区域")
    rows = await runtime.pool.fetch(PERFORMANCE, area, utcnow() - timedelta(days=days))
    return [
        StagePerformance(
            **dict(row),
            on_time_rate=row["on_time"] / (row["on_time"] + row["late"]) if row["on_time"] + row["late"] else None,
        )
        for row in rows
    ]
