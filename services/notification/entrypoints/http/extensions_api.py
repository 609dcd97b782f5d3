"""Requests for more time on a stage (延期), the county centre's decision on them, and 督办 by hand."""

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic_core import PydanticCustomError

from services.notification.application import extensions
from services.notification.deps import Caller, Channels, Runtime
from shared.domain.access import Principal, Role
from shared.domain.moments import aware
from shared.domain.problems import Forbidden
from shared.domain.text import storable_text
from shared.events.deadlines import ExtensionDecision
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["deadlines"], responses=error_answers(401, 403, 404, 409, 422, 503))

Text = storable_text(500, min_length=1)  # more than white space


def _instant(moment: datetime) -> datetime:
    """China time when it carries no zone; held in UTC, so that far-off years are refused, not overflowed."""
    try:
        return aware(moment).astimezone(UTC)
    except (OverflowError, ValueError):
        raise PydanticCustomError("date_out_of_range", "时间超出范围") from None


Moment = Annotated[datetime, AfterValidator(_instant)]


class ExtensionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Text
    requested_until: Moment


class ExtensionView(BaseModel):
    extension_id: UUID
    deadline_id: UUID
    due_at: datetime  # the deadline when asked
    requested_until: datetime


class PendingView(ExtensionView):
    referral_id: UUID
    case_number: str | None
    stage: str
    assignee_code: str
    requested_by: str
    reason: str
    requested_at: datetime
    decision: str


class SupervisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Text


@router.post("/deadlines/{deadline_id}/extensions", response_model=ExtensionView, status_code=201)
async def ask(
    deadline_id: UUID, body: ExtensionIn, runtime: Runtime, caller: Caller, channels: Channels
) -> ExtensionView:
    """By the station or centre holding the open deadline, before it passes."""
    asked = await extensions.request_extension(
        runtime.pool, caller, deadline_id, body.reason, body.requested_until, channels
    )
    return ExtensionView.model_validate(asked, from_attributes=True)


@router.post("/extensions/{extension_id}/{decision}", response_model=ExtensionView)
async def decide(
    extension_id: UUID,
    decision: Annotated[str, Path(pattern="^(approve|refuse)$")],
    runtime: Runtime,
    caller: Caller,
    channels: Channels,
) -> ExtensionView:
    """By the county centre over the holder."""
    verdict = ExtensionDecision.APPROVED if decision == "approve" else ExtensionDecision.REFUSED
    decided = await extensions.decide_extension(runtime.pool, caller, extension_id, verdict, channels)
    return ExtensionView.model_validate(decided, from_attributes=True)


@router.get("/extensions", response_model=list[PendingView])
async def pending(
    runtime: Runtime,
    caller: Caller,
    status: Annotated[Literal["pending"], Query()] = "pending",
) -> list[PendingView]:
    """The requests waiting in the caller's county (a centre), or anywhere (an administrator)."""
    rows = await extensions.pending_extensions(runtime.pool, caller, _area(caller))
    return [PendingView.model_validate(row) for row in rows]


@router.post("/deadlines/{deadline_id}/supervision", status_code=202)
async def supervise(
    deadline_id: UUID, body: SupervisionIn, runtime: Runtime, caller: Caller, channels: Channels
) -> dict[str, str]:
    """督办 by a committee member, on an overdue open stage in its area."""
    await extensions.supervise(runtime.pool, caller, deadline_id, body.note, channels)
    return {"status": "issued"}


def _area(caller: Principal) -> str:
    if caller.role is Role.ADMIN:
        return ""
    if caller.role is not Role.COUNTY_CENTRE:
        raise Forbidden("延期申请由救助保护中心审批")
    return caller.scope
