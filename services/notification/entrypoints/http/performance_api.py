"""How the stations of an area keep their deadlines, by county (and township) and stage, over a period: of the
stages decided in it (met on time, or past due unmet or met late), the share met on time; and those overdue
now. For the committee's dashboard; and the headline: the whole area's on-time rate over a period against the
period before, of all stages or of one (helpers named on time, follow-up visits made on time)."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from services.notification.adapters import deadline_queries
from services.notification.deps import Runtime, Watcher
from services.notification.domain.on_time import OnTime, change
from shared.auth.dependencies import KnownArea
from shared.domain.access import may_watch_area
from shared.domain.problems import NotFound
from shared.domain.referrals import Stage
from shared.events import utcnow
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["dashboard"], responses=error_answers(401, 403, 404, 422, 503))
Area = KnownArea  # an area with a station, centre or committee in it: any other has no figures to show


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
    area: Area,
    runtime: Runtime,
    caller: Watcher,
    days: Annotated[int, Query(ge=1, le=366)] = 30,
) -> list[StagePerformance]:
    if not may_watch_area(caller, area):
        raise NotFound("没有这个区域")
    rows = await deadline_queries.stage_performance(runtime.pool, area, utcnow() - timedelta(days=days))
    return [
        StagePerformance(
            **row,
            on_time_rate=row["on_time"] / (row["on_time"] + row["late"]) if row["on_time"] + row["late"] else None,
        )
        for row in rows
    ]


class OnTimeRate(BaseModel):
    days: int
    on_time: int
    late: int
    rate: float | None  # None while nothing was decided
    previous_on_time: int  # the same for the period of as many days before
    previous_late: int
    previous_rate: float | None
    change: float | None  # rate less previous_rate: 0.05 is five points better


@router.get("/on-time", response_model=OnTimeRate)
async def on_time_rate(
    area: Area,
    runtime: Runtime,
    caller: Watcher,
    days: Annotated[int, Query(ge=1, le=183)] = 30,
    stage: Annotated[Stage | None, Query(description="one stage (helper: helpers named on time), or all")] = None,
) -> OnTimeRate:
    if not may_watch_area(caller, area):
        raise NotFound("没有这个区域")
    now = utcnow()
    recent = OnTime(**await deadline_queries.on_time_since(runtime.pool, area, now - timedelta(days=days), stage))
    both = OnTime(**await deadline_queries.on_time_since(runtime.pool, area, now - timedelta(days=2 * days), stage))
    before = both - recent
    return OnTimeRate(
        days=days,
        on_time=recent.on_time,
        late=recent.late,
        rate=recent.rate,
        previous_on_time=before.on_time,
        previous_late=before.late,
        previous_rate=before.rate,
        change=change(recent, before),
    )
