"""The coordinating committee's figures from referral, for an area (a division code prefix) and a period:
by county and by township, open referrals, received, repeat reports, declines, and the median and 90th
percentile time to acknowledge and to the home visit; a daily trend; the same as CSV. Counts and times
only, nothing personal."""

import csv
import io
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from services.referral.deps import DashboardDep, Watcher
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["dashboard"], responses=error_answers(401, 403, 404, 422, 503))
Area = Annotated[str, Query(pattern=r"^[0-9]{2,9}$", description="a division code prefix")]
Days = Annotated[int, Query(ge=1, le=366, description="the period: this many days up to now")]


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


@router.get("/dashboard", response_model=Dashboard)
async def dashboard(area: Area, figures_of: DashboardDep, caller: Watcher, days: Days = 30) -> Dashboard:
    figures = await figures_of(area, days, caller)
    return Dashboard.model_validate(figures, from_attributes=True)


@router.get("/dashboard.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def dashboard_csv(area: Area, figures_of: DashboardDep, caller: Watcher, days: Days = 30) -> Response:
    figures = await figures_of(area, days, caller)
    out = io.StringIO()
    columns = list(PlaceFigures.model_fields)
    writer = csv.writer(out)
    writer.writerow(columns)
    for place in map(PlaceFigures.model_validate, figures.places):
        writer.writerow([getattr(place, column) for column in columns])
    filename = f"dashboard-{area}-{days}d.csv"
    return Response(
        "\ufeff" + out.getvalue(),  # a byte-order mark, so that Excel reads the Chinese names as UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
