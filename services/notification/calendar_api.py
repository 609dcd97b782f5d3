"""The calendar years an administrator publishes for years the calendar library does not know."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from services.notification.calendar import CalendarKeeper, publish_year
from services.notification.workdays import LIBRARY_ONLY
from shared.auth.dependencies import authenticate, require
from shared.domain.access import Principal, Role
from shared.domain.problems import FieldProblem, FieldProblems
from shared.http_errors import error_answers
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(prefix="/v1/calendar", tags=["calendar"], responses=error_answers(401, 403, 404, 422, 503))
Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]


class CalendarDay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: date
    is_workday: bool  # false: a holiday on a weekday; true: an adjusted working weekend day (调休)
    name: str = Field(default="", max_length=40)


class CalendarYear(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=2, max_length=200, description="the notice it comes from")
    days: list[CalendarDay] = Field(max_length=100)


class CalendarYearView(BaseModel):
    year: int
    known_from: str | None  # library, administrator, or nobody yet
    days: list[CalendarDay]


async def keeper_of(request: Request) -> CalendarKeeper:
    return request.app.state.calendar


Keeper = Annotated[CalendarKeeper, Depends(keeper_of)]
Year = Annotated[int, Path(ge=2000, le=2100, description="a calendar year")]


@router.get("/{year}", response_model=CalendarYearView)
async def read_year(
    year: Year,
    keeper: Annotated[CalendarKeeper, Depends(keeper_of)],
    _caller: Annotated[Principal, Depends(authenticate)],
) -> CalendarYearView:
    if LIBRARY_ONLY.covers(year):
        return CalendarYearView(year=year, known_from="library", days=[])
    exceptions = keeper.current.published.get(year)
    if exceptions is None:
        return CalendarYearView(year=year, known_from=None, days=[])
    days = [CalendarDay(day=day, is_workday=is_workday) for day, is_workday in sorted(exceptions.items())]
    return CalendarYearView(year=year, known_from="administrator", days=days)


@router.put("/{year}", response_model=CalendarYearView)
async def publish(
    year: Year,
    body: CalendarYear,
    runtime: Runtime,
    keeper: Keeper,
    caller: Annotated[Principal, Depends(require(Role.ADMIN))],
) -> CalendarYearView:
    problems = _problems(year, body)
    if problems:
        raise FieldProblems(problems)
    async with runtime.pool.acquire() as connection, connection.transaction():
        days = [(entry.day, entry.is_workday, entry.name) for entry in body.days]
        await publish_year(connection, year, body.source, days, caller.subject)
    await keeper.refresh(runtime.pool)
    return await read_year(year, keeper, caller)


def _problems(year: int, body: CalendarYear) -> list[FieldProblem]:
    if LIBRARY_ONLY.covers(year):
        return [FieldProblem("year", "known_to_library", "该年度节假日已由日历库提供，无需录入")]
    problems, seen = [], set()
    for index, entry in enumerate(body.days):
        if entry.day.year != year:
            problems.append(FieldProblem(f"days.{index}.day", "other_year", "日期不在该年度内"))
        elif entry.day in seen:
            problems.append(FieldProblem(f"days.{index}.day", "repeated", "日期重复"))
        elif entry.is_workday == (entry.day.weekday() < 5):
            problems.append(
                FieldProblem(f"days.{index}.is_workday", "not_an_exception", "只需录入工作日放假和周末调休上班的日子")
            )
        seen.add(entry.day)
    return problems
