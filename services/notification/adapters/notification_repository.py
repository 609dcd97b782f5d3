"""Notifications in PostgreSQL: one per receiver and channel for each event that causes a notice, unique on
(cause event, receiver, channel), so a redelivered event makes none twice."""

from datetime import datetime, timedelta
from uuid import UUID, uuid4

import asyncpg

from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.delivery_rules import AddressedNotice, Notification, NotificationStatus
from services.notification.domain.notices import NoticeKind
from shared.trace_context import current_trace_context

NOTIFICATION_COLUMNS = (
    "notification_id, cause_event_id, kind, referral_id, assignee_code, receiver_code, channel, address, "
    "subject, body, status, attempts, next_attempt_at, created_at, delivered_at, resends, "
    "traceparent, tracestate"
)

INSERT = (
    "INSERT INTO notifications (notification_id, cause_event_id, kind, referral_id, assignee_code, "
    "receiver_code, channel, address, subject, body, status, traceparent, tracestate, next_attempt_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now()) "
    "ON CONFLICT (cause_event_id, receiver_code, channel) DO NOTHING"
)

CLAIM_DUE = f"""
WITH due AS (
    SELECT notification_id FROM notifications
    WHERE status = 'pending' AND next_attempt_at <= $1
    ORDER BY next_attempt_at
    LIMIT $2
    FOR UPDATE SKIP LOCKED
)
UPDATE notifications n SET attempts = n.attempts + 1, next_attempt_at = $1 + $3::interval
FROM due WHERE n.notification_id = due.notification_id
RETURNING {", ".join(f"n.{column}" for column in NOTIFICATION_COLUMNS.split(", "))}
"""


class NotificationRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def add_pending(self, addressed: list[AddressedNotice]) -> None:
        await self._connection.executemany(INSERT, [_values(one, NotificationStatus.PENDING) for one in addressed])

    async def add_dead(self, addressed: AddressedNotice) -> Notification | None:
        """The new row, or None when this event already made it (a redelivered event)."""
        row = await self._connection.fetchrow(
            f"{INSERT} RETURNING {NOTIFICATION_COLUMNS}", *_values(addressed, NotificationStatus.DEAD)
        )
        return _notification(row) if row else None

    async def mark_dead(self, notification_id: UUID) -> None:
        await self._connection.execute(
            "UPDATE notifications SET status = 'dead' WHERE notification_id = $1", notification_id
        )

    async def claim_due(self, now: datetime, batch: int, lease: timedelta) -> list[Notification]:
        """Up to a batch of due notifications, each counted as attempted and leased (its next attempt moved
        past the lease) so that no other instance takes it meanwhile."""
        return [_notification(row) for row in await self._connection.fetch(CLAIM_DUE, now, batch, lease)]

    async def mark_delivered(self, delivered: list[tuple[UUID, datetime]]) -> None:
        """Each notification delivered at its time, in one round trip."""
        await self._connection.executemany(
            "UPDATE notifications SET status = 'delivered', delivered_at = $2 "
            "WHERE notification_id = $1 AND status = 'pending'",
            delivered,
        )

    async def locked(self, notification_id: UUID) -> Notification | None:
        row = await self._connection.fetchrow(
            f"SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE notification_id = $1 FOR UPDATE",
            notification_id,
        )
        return _notification(row) if row else None

    async def resend(self, notification_id: UUID, at: datetime) -> Notification:
        """Back to pending, due at once, with a fresh count of attempts in a new round."""
        row = await self._connection.fetchrow(
            "UPDATE notifications SET status = 'pending', attempts = 0, resends = resends + 1, next_attempt_at = $2 "
            f"WHERE notification_id = $1 RETURNING {NOTIFICATION_COLUMNS}",
            notification_id,
            at,
        )
        return _notification(row)

    async def retry_at(self, notification_id: UUID, at: datetime) -> None:
        await self._connection.execute(
            "UPDATE notifications SET next_attempt_at = $2 WHERE notification_id = $1", notification_id, at
        )

    async def find(
        self, referral_id: UUID | None, area: str | None, status: NotificationStatus | None
    ) -> list[Notification]:
        rows = await self._connection.fetch(
            f"SELECT {NOTIFICATION_COLUMNS} FROM notifications "
            "WHERE ($1::uuid IS NULL OR referral_id = $1) AND ($2::text IS NULL OR starts_with(assignee_code, $2)) "
            "AND ($3::text IS NULL OR status = $3) ORDER BY created_at DESC, channel LIMIT 500",
            referral_id,
            area,
            None if status is None else status.value,
        )
        return [_notification(row) for row in rows]


def _values(addressed: AddressedNotice, status: NotificationStatus) -> tuple:
    notice = addressed.notice
    return (
        uuid4(),
        addressed.cause_event_id,
        notice.kind.value,
        notice.referral_id,
        notice.assignee_code,
        addressed.receiver_code,
        addressed.channel.value,
        addressed.address,
        notice.subject,
        notice.body,
        status.value,
        *current_trace_context(),
    )


def _notification(row: asyncpg.Record) -> Notification:
    return Notification(
        **dict(row)
        | {
            "kind": NoticeKind(row["kind"]),
            "channel": DeliveryChannel(row["channel"]),
            "status": NotificationStatus(row["status"]),
        }
    )
