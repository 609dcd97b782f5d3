"""Reference endpoints for the operator's division picker, address resolution and routing preview.
Nothing here is stored or logged: an address typed for a preview is read and forgotten."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel

from services.referral import repository
from services.referral.gazetteer import Gazetteer
from services.referral.resolver import Place, Resolution, resolve
from services.referral.routing import route
from shared.http_errors import error_answers
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(prefix="/v1", tags=["divisions"], responses=error_answers(404, 422, 503))
Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]


async def gazetteer_of(request: Request) -> Gazetteer:
    return request.app.state.gazetteer.current


CurrentGazetteer = Annotated[Gazetteer, Depends(gazetteer_of)]


class Division(BaseModel):
    code: str
    name: str
    level: str


class PlaceView(BaseModel):
    code: str
    level: str
    path: str

    @classmethod
    def of(cls, place: Place) -> "PlaceView":
        return cls(code=place.code, level=place.level, path=place.path)


class RoutingPreview(BaseModel):
    outcome: str  # station, county_centre or unrouted
    assignee_code: str | None
    assignee_name: str | None
    reason: str


class ResolutionView(BaseModel):
    outcome: str  # township, county, ambiguous or unresolved
    place: PlaceView | None
    matched_by: str | None
    reason: str | None
    candidates: list[PlaceView]
    routing: RoutingPreview


class DivisionPreview(RoutingPreview):
    division_code: str


@router.get("/divisions", response_model=list[Division])
async def provinces(runtime: Runtime) -> list[Division]:
    rows = await runtime.pool.fetch("SELECT code, name, level FROM divisions WHERE parent_code IS NULL ORDER BY code")
    return [Division.model_validate(dict(row)) for row in rows]


@router.get("/divisions/resolve", response_model=ResolutionView)
async def resolve_address(
    runtime: Runtime,
    gazetteer: CurrentGazetteer,
    address: Annotated[str, Query(max_length=200)] = "",
    division_code: Annotated[str | None, Query(pattern=r"^[0-9]{6}([0-9]{3})?([0-9]{3})?$")] = None,
    county: Annotated[str | None, Query(pattern=r"^[0-9]{6}$", description="the caller's county, as context")] = None,
) -> ResolutionView:
    resolution = resolve(gazetteer, address, division_code, county)
    return ResolutionView(
        outcome=resolution.outcome.value,
        place=PlaceView.of(resolution.place) if resolution.place else None,
        matched_by=resolution.matched_by,
        reason=resolution.reason,
        candidates=[PlaceView.of(candidate) for candidate in resolution.candidates],
        routing=await _preview(runtime, resolution),
    )


@router.get("/divisions/{code}/children", response_model=list[Division])
async def children(code: str, runtime: Runtime) -> list[Division]:
    rows = await runtime.pool.fetch(
        "SELECT code, name, level FROM divisions WHERE parent_code = $1 ORDER BY code", code
    )
    if not rows and not await runtime.pool.fetchval("SELECT true FROM divisions WHERE code = $1", code):
        raise HTTPException(status_code=404, detail="没有这个区划代码")
    return [Division.model_validate(dict(row)) for row in rows]


@router.get("/routing/preview", response_model=DivisionPreview)
async def preview(
    division_code: Annotated[str, Query(pattern=r"^[0-9]{9}([0-9]{3})?$")],
    runtime: Runtime,
    gazetteer: CurrentGazetteer,
) -> DivisionPreview:
    routing = await _preview(runtime, resolve(gazetteer, None, division_code))
    return DivisionPreview(division_code=division_code, **routing.model_dump())


async def _preview(runtime: ServiceRuntime, resolution: Resolution) -> RoutingPreview:
    code = resolution.place.code if resolution.place else None
    async with runtime.pool.acquire() as connection:
        routing = route(resolution, await repository.stations_covering(connection, code))
    assignee = routing.assignee
    return RoutingPreview(
        outcome=assignee.kind.value if assignee else "unrouted",
        assignee_code=assignee.code if assignee else None,
        assignee_name=assignee.name if assignee else None,
        reason=routing.reason,
    )
