"""Notifications with their delivery logs."""

from dataclasses import asdict
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from services.notification.application.notification_listing import LoggedNotification, notifications_seen_by
from services.notification.application.resending import resend
from services.notification.deps import Admin, Caller, Runtime
from services.notification.domain.delivery_rules import NotificationStatus
from shared.audit_trail import audit_read
from shared.domain.access import Principal, sees_contacts
from shared.domain.problems import FieldProblem, FieldProblems
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["notifications"], responses=error_answers(401, 403, 404, 409, 422, 503))


class AttemptView(BaseModel):
    round: int  # 0 for the first sending, one more for each resend
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
    resends: int
    log: list[AttemptView]

    @classmethod
    def shown_to(cls, caller: Principal, logged: LoggedNotification) -> "NotificationView":
        notification = logged.notification
        return cls.model_validate(
            asdict(notification)
            | {
                "address": notification.address if sees_contacts(caller) else None,
                "log": [AttemptView.model_validate(asdict(attempt)) for attempt in logged.attempts],
            }
        )


@router.get("/notifications", response_model=list[NotificationView])
async def list_notifications(
    runtime: Runtime,
    caller: Caller,
    referral_id: UUID | None = None,
    status: NotificationStatus | None = None,
    area: Annotated[str | None, Query(pattern=r"^[0-9]{2,9}$", description="a division code prefix")] = None,
) -> list[NotificationView]:
    """A referral's notifications, or those of an area (for example the dead ones a centre must follow up)."""
    if referral_id is None and area is None:
        raise FieldProblems([FieldProblem("referral_id", "missing", "须给出 referral_id 或 area")])
    found = await notifications_seen_by(runtime.pool, caller, referral_id, area, status)
    target = f"notifications:{referral_id}" if referral_id else f"notifications in {area}"
    shown = [logged.notification.referral_id for logged in found]
    await audit_read(runtime.pool, caller, [referral_id for referral_id in shown if referral_id], target)
    return [NotificationView.shown_to(caller, logged) for logged in found]


@router.post("/notifications/{notification_id}/resend", response_model=NotificationView, status_code=202)
async def resend_notification(runtime: Runtime, admin: Admin, notification_id: UUID) -> NotificationView:
    """Sends a dead notification again (after its receiver's address is put right): pending once more, due now,
    with a fresh count of attempts. 409 when it is not dead, or its receiver had no address at all."""
    again = await resend(runtime.pool, admin, notification_id)
    return NotificationView.shown_to(admin, LoggedNotification(again, []))
