"""Admin API of the stations directory. Any caller may read it, but only an administrator sees the contacts and
the webhook address (which can carry an access token), and only an administrator may add or change a station.
There is no DELETE: referrals keep pointing at their station, so a station is deactivated with `active: false`."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel

from services.referral.deps import Admin, Caller, StationDirectoryDep
from services.referral.domain.station_directory import CODE_PATTERN, StationFields, StationIn
from shared.domain.access import Principal, sees_contacts
from shared.domain.codes import AssigneeKind
from shared.domain.problems import invalid
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["stations"], responses=error_answers(401, 403, 404, 422, 503))
StationCode = Annotated[str, Path(pattern=CODE_PATTERN, description="9-digit township code or 6-digit county code")]


class StationBody(StationFields):
    code: str | None = None  # optional; when given it must be the code in the path


class StationView(BaseModel):
    code: str
    kind: AssigneeKind
    name: str
    county_code: str
    contact_name: str | None
    phone: str | None
    sms_phone: str | None
    email: str | None
    webhook_url: str | None
    active: bool
    updated_at: datetime


CONTACTS = ("contact_name", "phone", "sms_phone", "email", "webhook_url")


def _view(station: dict, caller: Principal) -> StationView:
    shown = station if sees_contacts(caller) else station | dict.fromkeys(CONTACTS)
    return StationView.model_validate(shown)


@router.get("/stations", response_model=list[StationView])
async def list_stations(
    directory: StationDirectoryDep,
    caller: Caller,
    county: Annotated[str | None, Query(pattern=r"^[0-9]{6}$", description="6-digit county code")] = None,
    kind: AssigneeKind | None = None,
    active: bool | None = None,
    after: Annotated[str | None, Query(pattern=CODE_PATTERN, description="the last code of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[StationView]:
    return [_view(station, caller) for station in await directory.listed(county, kind, active, after, limit)]


@router.get("/stations/{code}", response_model=StationView)
async def get_station(code: StationCode, directory: StationDirectoryDep, caller: Caller) -> StationView:
    return _view(await directory.station(code), caller)


@router.put(
    "/stations/{code}",
    response_model=StationView,
    responses={201: {"model": StationView, "description": "created"}},
)
async def put_station(
    code: StationCode, body: StationBody, directory: StationDirectoryDep, _admin: Admin, response: Response
) -> StationView:
    if body.code is not None and body.code != code:
        raise invalid("code", "code_mismatch", "须与地址中的代码相同")
    created, station = await directory.save(StationIn(**body.model_dump(exclude={"code"}), code=code))
    response.status_code = 201 if created else 200
    return StationView.model_validate(station)
