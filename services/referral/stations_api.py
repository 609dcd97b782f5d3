"""Admin API of the stations directory. Any caller may read it (station contacts are not a child's
personal data); only an administrator may add or change a station. There is no DELETE: referrals
keep pointing at their station, so a station is deactivated with `active: false` instead."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response

from services.referral import stations_repository
from services.referral.stations import CODE_PATTERN, StationFields, StationIn, StationView, station_problems
from shared.auth.dependencies import authenticate, require
from shared.domain.access import Principal, Role
from shared.domain.codes import AssigneeKind
from shared.domain.problems import FieldProblem, FieldProblems
from shared.http_errors import error_answers
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(prefix="/v1", tags=["stations"], responses=error_answers(401, 403, 404, 422, 503))
Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]
Caller = Annotated[Principal, Depends(authenticate)]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
StationCode = Annotated[str, Path(pattern=CODE_PATTERN, description="9-digit township code or 6-digit county code")]


class StationBody(StationFields):
    code: str | None = None  # optional; when given it must be the code in the path


@router.get("/stations", response_model=list[StationView])
async def list_stations(
    runtime: Runtime,
    _caller: Caller,
    county: Annotated[str | None, Query(pattern=r"^[0-9]{6}$", description="6-digit county code")] = None,
    kind: AssigneeKind | None = None,
    active: bool | None = None,
    after: Annotated[str | None, Query(pattern=CODE_PATTERN, description="the last code of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[StationView]:
    async with runtime.pool.acquire() as connection:
        rows = await stations_repository.list_stations(
            connection, county, kind.value if kind else None, active, after, limit
        )
    return [StationView.model_validate(dict(row)) for row in rows]


@router.get("/stations/{code}", response_model=StationView)
async def get_station(code: StationCode, runtime: Runtime, _caller: Caller) -> StationView:
    async with runtime.pool.acquire() as connection:
        row = await stations_repository.station_by_code(connection, code)
    if row is None:
        raise HTTPException(status_code=404, detail="没有这个工作站")
    return StationView.model_validate(dict(row))


@router.put(
    "/stations/{code}",
    response_model=StationView,
    responses={201: {"model": StationView, "description": "created"}},
)
async def put_station(
    code: StationCode, body: StationBody, runtime: Runtime, _admin: Admin, response: Response
) -> StationView:
    if body.code is not None and body.code != code:
        raise FieldProblems([FieldProblem("code", "code_mismatch", "须与地址中的代码相同")])
    station = StationIn(**body.model_dump(exclude={"code"}), code=code)
    async with runtime.pool.acquire() as connection, connection.transaction():
        levels = await stations_repository.division_levels(connection, [code])
        problems = station_problems(station, levels)
        if problems:
            raise FieldProblems(problems)
        created, row = await stations_repository.save_station(connection, station)
    response.status_code = 201 if created else 200
    return StationView.model_validate(dict(row))
