"""The calendar years an administrator publishes for years the calendar library does not know."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from services.notification.application.calendar_years import publish_year
from services.notification.deps import Admin, Calendar, Caller, Runtime
from services.notification.domain.workdays import LIBRARY_ONLY
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1/calendar", tags=["calendar"], responses=error_answers(401, 403, 404, 422, 503))


class CalendarDay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: date
    is_workday: StrictBool  # false: a holiday on a weekday; true: an adjusted working weekend day (调休)
    name: str = Field(default="", max_length=40)


class CalendarYear(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=2, max_length=200, description="the notice it comes from")
    days: list[CalendarDay] = Field(max_length=100)


class CalendarYearView(BaseModel):
    year: int
    known_from: str | None  # library, administrator, or nobody yet
    days: list[CalendarDay]


Year = Annotated[int, Path(ge=2000, le=2100, description="a calendar year")]


@router.get("/{year}", response_model=CalendarYearView)
async def read_year(year: Year, keeper: Calendar, _caller: Caller) -> CalendarYearView:
    if LIBRARY_ONLY.covers(year):
        return CalendarYearView(year=year, known_from="library", days=[])
    exceptions = keeper.current.published.get(year)
    if exceptions is None:
        return CalendarYearView(year=year, known_from=None, days=[])
    days = [CalendarDay(day=day, is_workday=is_workday) for day, is_workday in sorted(exceptions.items())]
    return CalendarYearView(year=year, known_from="administrator", days=days)


@router.put("/{year}", response_model=CalendarYearView)
async def publish(
    year: Year, body: CalendarYear, runtime: Runtime, keeper: Calendar, caller: Admin
) -> CalendarYearView:
    days = [(entry.day, entry.is_workday, entry.name) for entry in body.days]
    await publish_year(runtime.pool, keeper, year, body.source, days, caller.subject)
    return await read_year(year, keeper, caller)
