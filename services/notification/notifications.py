"""Notifications as rows: one per receiver and channel for each event that causes a notice, written in the
transaction of that event, so a notice is never lost or made twice. The dispatcher delivers them."""

import logging
from collections.abc import Iterable
from uuid import UUID, uuid4

import asyncpg

from services.notification.notices import Audience, Failure, Notice, notice_for_failure
from services.notification.receivers import find_receiver
from shared.events import NotificationFailed
from shared.outbox import enqueue

log = logging.getLogger(__name__)

ADDRESS_COLUMNS = {"webhook": "webhook_url", "email": "email", "sms": "sms_phone"}

NOTIFICATION_COLUMNS = (
    "notification_id, cause_event_id, kind, referral_id, assignee_code, receiver_code, channel, address, "
    "subject, body, status, attempts, next_attempt_at, created_at, delivered_at"
)


async def record_notices(
    connection: asyncpg.Connection,
    notices: Iterable[tuple[UUID, Notice]],
    channels: frozenset[str],
) -> None:
    """Stores, for each (cause event id, notice), a pending notification for each channel the receiver can be
    reached on (of those this service has). A receiver that cannot be reached at all gets a dead one at once,
    and its failure is raised. Each receiver is looked up once per call."""
    found: dict = {}
    pending = []
    for cause_event_id, notice in notices:
        where = (notice.audience, notice.about_code)
        if where not in found:
            found[where] = await find_receiver(connection, *where)
        receiver = found[where]
        addresses = {
            channel: receiver[column]
            for channel, column in ADDRESS_COLUMNS.items()
            if receiver is not None and channel in channels and receiver[column]
        }
        receiver_code = receiver["code"] if receiver else _intended_code(notice)
        if not addresses:
            dead = await _insert(connection, cause_event_id, notice, receiver_code, "none", "", "dead")
            if dead is not None:
                await declare_dead(connection, dead, channels, error="no_reachable_receiver")
            continue
        pending += [
            _row(cause_event_id, notice, receiver_code, channel, address) for channel, address in addresses.items()
        ]
    await connection.executemany(INSERT_PENDING, pending)


async def declare_dead(
    connection: asyncpg.Connection, notification: asyncpg.Record, channels: frozenset[str], error: str
) -> None:
    """Announces a notification that will not be delivered and tells whoever is above its receiver."""
    await connection.execute(
        "UPDATE notifications SET status = 'dead' WHERE notification_id = $1", notification["notification_id"]
    )
    log.warning(
        "notification %s to %s by %s is dead (%s)",
        notification["notification_id"],
        notification["receiver_code"],
        notification["channel"],
        error,
    )
    failure = Failure(
        notification_id=notification["notification_id"],
        kind=notification["kind"],
        referral_id=notification["referral_id"],
        assignee_code=notification["assignee_code"],
        receiver_code=notification["receiver_code"],
        channel=notification["channel"],
        attempts=notification["attempts"],
    )
    event = NotificationFailed(
        notification_id=failure.notification_id,
        kind=failure.kind,
        referral_id=failure.referral_id,
        receiver_code=failure.receiver_code,
        channel=failure.channel,
        attempts=failure.attempts,
        error=error,
    )
    await enqueue(connection, event, key=str(failure.referral_id or failure.receiver_code))
    alert = notice_for_failure(failure)
    if alert is not None:
        await record_notices(connection, [(event.event_id, alert)], channels)


INSERT_PENDING = (
    "INSERT INTO notifications (notification_id, cause_event_id, kind, referral_id, assignee_code, "
    "receiver_code, channel, address, subject, body, status, next_attempt_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', now()) "
    "ON CONFLICT (cause_event_id, receiver_code, channel) DO NOTHING"
)


def _row(cause_event_id: UUID, notice: Notice, receiver_code: str, channel: str, address: str) -> tuple:
    return (
        uuid4(),
        cause_event_id,
        notice.kind.value,
        notice.referral_id,
        notice.assignee_code,
        receiver_code,
        channel,
        address,
        notice.subject,
        notice.body,
    )


async def _insert(
    connection: asyncpg.Connection,
    cause_event_id: UUID,
    notice: Notice,
    receiver_code: str,
    channel: str,
    address: str,
    status: str,
) -> asyncpg.Record | None:
    """The new row, or None when this event already made it (a redelivered event)."""
    return await connection.fetchrow(
        "INSERT INTO notifications (notification_id, cause_event_id, kind, referral_id, assignee_code, "
        "receiver_code, channel, address, subject, body, status, next_attempt_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now()) "
        f"ON CONFLICT (cause_event_id, receiver_code, channel) DO NOTHING RETURNING {NOTIFICATION_COLUMNS}",
        uuid4(),
        cause_event_id,
        notice.kind.value,
        notice.referral_id,
        notice.assignee_code,
        receiver_code,
        channel,
        address,
        notice.subject,
        notice.body,
        status,
    )


def _intended_code(notice: Notice) -> str:
    """Whom the notice was meant for when no receiver is known: the code it would have had."""
    if notice.audience is Audience.COUNTY_CENTRE:
        return notice.about_code[:6]
    if notice.audience is Audience.COMMITTEE:
        return f"committee:{notice.about_code}"
    return notice.about_code


async def find_notifications(
    connection: asyncpg.Connection, referral_id: UUID | None, area: str | None, status: str | None
) -> list[asyncpg.Record]:
    return await connection.fetch(
        f"SELECT {NOTIFICATION_COLUMNS} FROM notifications "
        "WHERE ($1::uuid IS NULL OR referral_id = $1) AND ($2::text IS NULL OR starts_with(assignee_code, $2)) "
        "AND ($3::text IS NULL OR status = $3) ORDER BY created_at DESC, channel LIMIT 500",
        referral_id,
        area,
        status,
    )


async def attempts_of(connection: asyncpg.Connection, ids: list[UUID]) -> dict[UUID, list[asyncpg.Record]]:
    rows = await connection.fetch(
        "SELECT notification_id, attempt, started_at, finished_at, outcome, error FROM delivery_attempts "
        "WHERE notification_id = ANY($1::uuid[]) ORDER BY notification_id, attempt",
        ids,
    )
    found: dict[UUID, list[asyncpg.Record]] = {}
    for row in rows:
        found.setdefault(row["notification_id"], []).append(row)
    return found
