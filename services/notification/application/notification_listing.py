"""Reading the notifications with the log of their delivery attempts."""

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from services.notification.adapters.delivery_log import DeliveryLog
from services.notification.adapters.notification_repository import NotificationRepository
from services.notification.domain.delivery_rules import DeliveryAttempt, Notification, NotificationStatus
from shared.domain.access import Principal, can_see_case


@dataclass(frozen=True)
class LoggedNotification:
    notification: Notification
    attempts: list[DeliveryAttempt]


async def notifications_seen_by(
    pool: asyncpg.Pool,
    caller: Principal,
    referral_id: UUID | None,
    area: str | None,
    status: NotificationStatus | None,
) -> list[LoggedNotification]:
    """A referral's notifications, or an area's, of the cases the caller may see, newest first."""
    async with pool.acquire() as connection:
        found = await NotificationRepository(connection).find(referral_id, area, status)
        found = [notification for notification in found if can_see_case(caller, notification.assignee_code)]
        logs = await DeliveryLog(connection).attempts_of([notification.notification_id for notification in found])
    return [LoggedNotification(one, logs.get(one.notification_id, [])) for one in found]
