"""The directory of village child directors (村(居)儿童主任). An administrator lists, adds, changes and deactivates
them; a station lists its own township's directors by name, never their phones. There is no deleting: a task keeps
pointing at its village, so DELETE deactivates."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel

from services.referral.deps import Admin, AdminOrStation, VillageDirectoryDep
from services.referral.domain.village_directors import VILLAGE_CODE_PATTERN, DirectorFields, DirectorIn
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["village directors"], responses=error_answers(401, 403, 404, 422, 503))
VillageCode = Annotated[str, Path(pattern=VILLAGE_CODE_PATTERN, description="12-digit village code")]


class DirectorView(BaseModel):
    village_code: str
    village_name: str
    name: str
    phone: str | None  # administrators only
    active: bool
    updated_at: datetime


@router.get("/village-directors", response_model=list[DirectorView])
async def list_directors(
    directory: VillageDirectoryDep,
    caller: AdminOrStation,
    station: Annotated[str | None, Query(pattern=r"^[0-9]{9}$", description="9-digit township code")] = None,
) -> list[DirectorView]:
    return [DirectorView.model_validate(director) for director in await directory.listed(caller, station)]


@router.put(
    "/village-directors/{village_code}",
    response_model=DirectorView,
    responses={201: {"model": DirectorView, "description": "created"}},
)
async def put_director(
    village_code: VillageCode, body: DirectorFields, directory: VillageDirectoryDep, _admin: Admin, response: Response
) -> DirectorView:
    created, director = await directory.save(DirectorIn(**body.model_dump(), village_code=village_code))
    response.status_code = 201 if created else 200
    return DirectorView.model_validate(director)


@router.delete("/village-directors/{village_code}", response_model=DirectorView)
async def deactivate_director(village_code: VillageCode, directory: VillageDirectoryDep, _admin: Admin) -> DirectorView:
    """The director stays in the directory, inactive: no task is handed to the village, and its sign-in is refused."""
    return DirectorView.model_validate(await directory.deactivate(village_code))
