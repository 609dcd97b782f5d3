"""Notifications with their delivery logs, and the committees that receive supervision notices."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from services.notification import notifications, receivers
from services.notification.receivers import AREA_PATTERN, CommitteeFields, CommitteeIn, ReceiverView
from shared.auth.dependencies import authenticate, require
from shared.domain.access import Principal, Role, can_see_case
from shared.domain.problems import FieldProblem, FieldProblems
from shared.events import utcnow
from shared.http_errors import error_answers
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(prefix="/v1", tags=["notifications"], responses=error_answers(401, 403, 404, 422, 503))
Caller = Annotated[Principal, Depends(authenticate)]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]


class AttemptView(BaseModel):
    attempt: int
    started_at: datetime
    finished_at: datetime | None
    outcome: str  # in_flight stays when the service stopped during the attempt
    error: str | None


class NotificationView(BaseModel):
    notification_id: UUID
    kind: str
    referral_id: UUID | None
    receiver_code: str
    channel: str
    address: str | None  # administrators only
    subject: str
    status: str
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    delivered_at: datetime | None
    log: list[AttemptView]


@router.get("/notifications", response_model=list[NotificationView])
async def list_notifications(
    runtime: Runtime,
    caller: Caller,
    referral_id: UUID | None = None,
    status: Literal["pending", "delivered", "dead"] | None = None,
    area: Annotated[str | None, Query(pattern=r"^[0-9]{2,9}$", description="a division code prefix")] = None,
) -> list[NotificationView]:
    """A referral's notifications, or those of an area (for example the dead ones a centre must follow up)."""
    if referral_id is None and area is None:
        raise FieldProblems([FieldProblem("referral_id", "missing", "须给出 referral_id 或 area")])
    async with runtime.pool.acquire() as connection:
        rows = await notifications.find_notifications(connection, referral_id, area, status)
        rows = [row for row in rows if can_see_case(caller, row["assignee_code"])]
        logs = await notifications.attempts_of(connection, [row["notification_id"] for row in rows])
    return [
        NotificationView.model_validate(
            dict(row)
            | {
                "address": row["address"] if caller.role is Role.ADMIN else None,
                "log": [AttemptView.model_validate(dict(entry)) for entry in logs.get(row["notification_id"], [])],
            }
        )
        for row in rows
    ]


@router.put("/committees/{area}", response_model=ReceiverView)
async def put_committee(
    area: Annotated[str, Path(pattern=AREA_PATTERN, description="the code prefix the committee watches")],
    body: CommitteeFields,
    runtime: Runtime,
    _admin: Admin,
) -> ReceiverView:
    committee = CommitteeIn(**body.model_dump(), code=area)
    async with runtime.pool.acquire() as connection:
        row = await receivers.save_committee(connection, committee, utcnow())
    return ReceiverView.model_validate(dict(row))


@router.get("/receivers", response_model=list[ReceiverView])
async def list_receivers(
    runtime: Runtime,
    _admin: Admin,
    kind: Literal["station", "county_centre", "committee"] | None = None,
    code_prefix: Annotated[str | None, Query(pattern=r"^[0-9]{1,9}$")] = None,
) -> list[ReceiverView]:
    async with runtime.pool.acquire() as connection:
        rows = await receivers.list_receivers(connection, kind, code_prefix)
    return [ReceiverView.model_validate(dict(row)) for row in rows]
