"""The coordinating committee's figures from referral, for an area (a division code prefix) and a period:
a summary, then by county, by county centre (its own referrals) and by township, open referrals, received,
repeat reports, declines, the median and 90th percentile time to acknowledge and to the home visit, the children
under monitoring by level and those in temporary guardianship; a daily trend; the same as CSV and Excel. And a
county's stations' load, for its centre's desk. Counts and times only, nothing personal."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from services.referral.deps import DashboardDep, Watcher
from services.referral.domain.area_figures import PlaceLevel
from services.referral.entrypoints.http.dashboard_export import as_csv, as_xlsx
from shared.auth.dependencies import KnownArea, KnownCounty
from shared.domain.codes import AssigneeKind
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["dashboard"], responses=error_answers(401, 403, 404, 422, 503))
Area = KnownArea
Days = Annotated[int, Query(ge=1, le=366, description="the period: this many days up to now")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlaceFigures(BaseModel):
    county: str
    county_name: str | None
    township: str | None  # None: the county's total, or its centre's own referrals (by level)
    township_name: str | None
    level: PlaceLevel
    open: int
    open_p1: int
    unrouted: int
    received: int
    acknowledged: int  # of those received in the period
    repeat_reports: int
    declines: int
    monitoring_fair: int  # children under monitoring now, by the level of their latest assessment
    monitoring_poor: int
    monitoring_dangerous: int
    in_guardianship: int  # children in temporary guardianship now (started, not ended)
    acknowledge_hours_p50: float | None
    acknowledge_hours_p90: float | None
    home_visit_hours_p50: float | None
    home_visit_hours_p90: float | None


class DayFigures(BaseModel):
    day: str
    received: int
    acknowledged: int


class Summary(BaseModel):
    open: int
    open_p1: int
    unrouted: int
    received: int
    acknowledged: int
    acknowledged_rate: float | None  # None while nothing was received
    monitoring_fair: int
    monitoring_poor: int
    monitoring_dangerous: int
    in_guardianship: int


class Dashboard(BaseModel):
    area: str
    days: int
    since: datetime
    summary: Summary
    places: list[PlaceFigures]
    trend: list[DayFigures]


class StationLoad(BaseModel):
    code: str
    name: str
    kind: AssigneeKind
    open: int
    unacknowledged: int
    open_p1: int


@router.get("/dashboard", response_model=Dashboard)
async def dashboard(caller: Watcher, area: Area, figures_of: DashboardDep, days: Days = 30) -> Dashboard:
    figures = await figures_of(area, days, caller)
    return Dashboard.model_validate(figures, from_attributes=True)


@router.get("/dashboard.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def dashboard_csv(caller: Watcher, area: Area, figures_of: DashboardDep, days: Days = 30) -> Response:
    figures = await figures_of(area, days, caller)
    return _download(as_csv(figures.places), "text/csv; charset=utf-8", f"dashboard-{area}-{days}d.csv")


@router.get("/dashboard.xlsx", response_class=Response, responses={200: {"content": {XLSX: {}}}})
async def dashboard_xlsx(caller: Watcher, area: Area, figures_of: DashboardDep, days: Days = 30) -> Response:
    """A sheet of the counties' totals and one of the centres and townships."""
    figures = await figures_of(area, days, caller)
    return _download(as_xlsx(figures.places), XLSX, f"dashboard-{area}-{days}d.xlsx")


@router.get("/counties/{county}/load", response_model=list[StationLoad])
async def county_load(
    county: KnownCounty,
    figures_of: DashboardDep,
    caller: Watcher,
) -> list[StationLoad]:
    """The county centre and each active station of the county, with the referrals it holds open now and those
    not yet acknowledged (overdue stages are notification's, GET /v1/overdue)."""
    return [StationLoad.model_validate(row) for row in await figures_of.load(county, caller)]


def _download(content: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
