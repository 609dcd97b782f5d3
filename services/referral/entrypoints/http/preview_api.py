"""The operator page's routing preview: where a report would go, for the hotline's operators only. Nothing
is stored or logged: an address typed for a preview is read and forgotten."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from services.referral.deps import DivisionQueriesDep, Supervisor
from services.referral.domain.preview import Destination, Preview
from services.referral.domain.resolution import MatchedBy
from services.referral.domain.resolver import LONGEST_ADDRESS
from services.referral.domain.routing import RoutingReason
from services.referral.entrypoints.http.divisions_api import PlaceView
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["divisions"], responses=error_answers(401, 403, 422, 503))


class RoutingPreviewView(BaseModel):
    destination: Destination  # station, county_centre, candidates or queue
    reason: RoutingReason
    place: PlaceView | None
    assignee_name: str | None  # the station's or centre's name
    candidates: list[PlaceView]  # full paths; when several places fit: pick one to send its division code
    matched_by: MatchedBy | None
    matched_by_label: str | None  # how the address was read, in the operator's words

    @classmethod
    def of(cls, preview: Preview) -> "RoutingPreviewView":
        return cls(
            destination=preview.destination,
            reason=preview.reason,
            place=PlaceView.of(preview.place) if preview.place else None,
            assignee_name=preview.assignee_name,
            candidates=[PlaceView.of(candidate) for candidate in preview.candidates],
            matched_by=preview.matched_by,
            matched_by_label=preview.matched_by.label if preview.matched_by else None,
        )


@router.get("/routing-preview", response_model=RoutingPreviewView)
async def routing_preview(
    divisions: DivisionQueriesDep,
    _caller: Supervisor,
    address: Annotated[str | None, Query(max_length=LONGEST_ADDRESS)] = None,
    division_code: Annotated[str | None, Query(pattern=r"^[0-9]{6}([0-9]{3})?([0-9]{3})?$")] = None,
) -> RoutingPreviewView:
    """Where a report with this address (or this county's or township's code, such as a picked candidate)
    would go: a township's station, a county's centre, candidates, or the supervisors' queue."""
    return RoutingPreviewView.of(await divisions.routing_preview(address, division_code))
