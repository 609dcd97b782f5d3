"""Reference endpoints for the operator's division picker and routing preview (no personal data)."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel

from services.referral import repository
from services.referral.routing import route
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(prefix="/v1", tags=["divisions"])
Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]


class Division(BaseModel):
    code: str
    name: str
    level: str


class RoutingPreview(BaseModel):
    division_code: str
    outcome: str  # station, county_centre or unrouted
    assignee_code: str | None
    assignee_name: str | None
    reason: str


@router.get("/divisions", response_model=list[Division])
async def provinces(runtime: Runtime) -> list[Division]:
    rows = await runtime.pool.fetch("SELECT code, name, level FROM divisions WHERE parent_code IS NULL ORDER BY code")
    return [Division.model_validate(dict(row)) for row in rows]


@router.get("/divisions/{code}/children", response_model=list[Division])
async def children(code: str, runtime: Runtime) -> list[Division]:
    rows = await runtime.pool.fetch(
        "SELECT code, name, level FROM divisions WHERE parent_code = $1 ORDER BY code", code
    )
    if not rows and not await runtime.pool.fetchval("SELECT true FROM divisions WHERE code = $1", code):
        raise HTTPException(status_code=404, detail="没有这个区划代码")
    return [Division.model_validate(dict(row)) for row in rows]


@router.get("/routing/preview", response_model=RoutingPreview)
async def preview(division_code: Annotated[str, Query(pattern=r"^\d{9}(\d{3})?$")], runtime: Runtime) -> RoutingPreview:
    async with runtime.pool.acquire() as connection:
        stations = await repository.stations_covering(connection, division_code)
    routing = route(division_code, stations)
    assignee = routing.assignee
    return RoutingPreview(
        division_code=division_code,
        outcome=assignee.kind.value if assignee else "unrouted",
        assignee_code=assignee.code if assignee else None,
        assignee_name=assignee.name if assignee else None,
        reason=routing.reason,
    )
