"""An administrator sends a dead notification again: it goes back to the dispatcher with a fresh count of
attempts, and the audit names who asked."""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

import asyncpg

from services.notification.adapters.notification_repository import NotificationRepository
from services.notification.domain.delivery_rules import Notification, check_resendable
from shared.audit_trail import audit
from shared.domain.access import Principal
from shared.domain.problems import NotFound
from shared.events import utcnow


async def resend(
    pool: asyncpg.Pool, caller: Principal, notification_id: UUID, clock: Callable[[], datetime] = utcnow
) -> Notification:
    async with pool.acquire() as connection, connection.transaction():
        notifications = NotificationRepository(connection)
        current = await notifications.locked(notification_id)
        if current is None:
            raise NotFound("没有这条通知")
        check_resendable(current)
        again = await notifications.resend(notification_id, clock())
        cases = [current.referral_id] if current.referral_id else None
        await audit(connection, caller, "resend_notification", cases, target=f"notification:{notification_id}")
    return again
