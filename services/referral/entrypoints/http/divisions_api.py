"""Reference endpoints for the operator's division picker, address resolution (signed-in callers only) and a
township's routing. Nothing here is stored or logged: an address typed for a preview is read and forgotten."""

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from services.referral.deps import Caller, DivisionQueriesDep
from services.referral.domain.resolution import Place
from services.referral.domain.routing import Routing
from shared.domain.referrals import ReferralStatus
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["divisions"], responses=error_answers(404, 422, 503))


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

    @classmethod
    def of(cls, routing: Routing) -> "RoutingPreview":
        assignee = routing.assignee
        return cls(
            outcome=assignee.kind.value if assignee else ReferralStatus.UNROUTED.value,
            assignee_code=assignee.code if assignee else None,
            assignee_name=assignee.name if assignee else None,
            reason=routing.reason,
        )


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
async def provinces(divisions: DivisionQueriesDep) -> list[Division]:
    return [Division.model_validate(division) for division in await divisions.provinces()]


@router.get("/divisions/resolve", response_model=ResolutionView, responses=error_answers(401))
async def resolve_address(
    divisions: DivisionQueriesDep,
    _caller: Caller,
    address: Annotated[str, Query(max_length=200)] = "",
    division_code: Annotated[str | None, Query(pattern=r"^[0-9]{6}([0-9]{3})?([0-9]{3})?$")] = None,
    county: Annotated[str | None, Query(pattern=r"^[0-9]{6}$", description="the caller's county, as context")] = None,
) -> ResolutionView:
    """How the resolver reads an address, for any signed-in caller: free text that is in practice a child's
    address is not taken from anyone unknown. The operator's page uses /v1/routing-preview."""
    resolution, routing = await divisions.resolve(address, division_code, county)
    return ResolutionView(
        outcome=resolution.outcome.value,
        place=PlaceView.of(resolution.place) if resolution.place else None,
        matched_by=resolution.matched_by,
        reason=resolution.reason,
        candidates=[PlaceView.of(candidate) for candidate in resolution.candidates],
        routing=RoutingPreview.of(routing),
    )


@router.get("/divisions/{code}/children", response_model=list[Division])
async def children(code: str, divisions: DivisionQueriesDep) -> list[Division]:
    return [Division.model_validate(division) for division in await divisions.children(code)]


@router.get("/divisions/{code}/path", response_model=list[Division])
async def path(code: Annotated[str, Path(pattern=r"^[0-9]{2,12}$")], divisions: DivisionQueriesDep) -> list[Division]:
    """The division and those above it, province first: how a printed form names a place."""
    return [Division(code=d.code, name=d.name, level=d.level.value) for d in divisions.path(code)]


@router.get("/routing/preview", response_model=DivisionPreview)
async def preview(
    division_code: Annotated[str, Query(pattern=r"^[0-9]{9}([0-9]{3})?$")], divisions: DivisionQueriesDep
) -> DivisionPreview:
    routing = RoutingPreview.of(await divisions.preview(division_code))
    return DivisionPreview(division_code=division_code, **routing.model_dump())
