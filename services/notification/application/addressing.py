"""Notices become notifications: one per channel its receiver can be reached on (of those this service has),
written in the transaction of the event that causes the notice, so a notice is never lost or made twice.
A notice nobody can receive, and a notification that will not be delivered, is dead: it is announced, and
whoever is above its receiver is told."""

import logging
from collections.abc import Iterable
from uuid import UUID

import asyncpg

from services.notification.adapters.notification_repository import NotificationRepository
from services.notification.adapters.receiver_repository import ReceiverRepository
from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.delivery_rules import AddressedNotice, Notification
from services.notification.domain.failure_notices import Failure, notice_for_failure
from services.notification.domain.notices import Notice
from services.notification.domain.receivers import Receiver, intended_code
from shared.events import NotificationFailed
from shared.outbox import enqueue

log = logging.getLogger(__name__)


async def record_notices(
    connection: asyncpg.Connection, notices: Iterable[tuple[UUID, Notice]], channels: frozenset[DeliveryChannel]
) -> None:
    """Stores, for each (cause event id, notice), a pending notification per channel. A receiver that cannot
    be reached at all gets a dead one at once, and its failure is raised. Each receiver is looked up once."""
    receivers, notifications = ReceiverRepository(connection), NotificationRepository(connection)
    found: dict[tuple, Receiver | None] = {}
    pending = []
    for cause_event_id, notice in notices:
        where = (notice.audience, notice.about_code)
        if where not in found:
            found[where] = await receivers.find(*where)
        receiver = found[where]
        addresses = receiver.addresses(channels) if receiver else {}
        receiver_code = receiver.code if receiver else intended_code(notice)
        if not addresses:
            unreachable = AddressedNotice(cause_event_id, notice, receiver_code, DeliveryChannel.NONE, "")
            dead = await notifications.add_dead(unreachable)
            if dead is not None:
                await declare_dead(connection, dead, channels, error="no_reachable_receiver")
            continue
        pending += [
            AddressedNotice(cause_event_id, notice, receiver_code, channel, address)
            for channel, address in addresses.items()
        ]
    await notifications.add_pending(pending)


async def declare_dead(
    connection: asyncpg.Connection, notification: Notification, channels: frozenset[DeliveryChannel], error: str
) -> None:
    """Announces a notification that will not be delivered and tells whoever is above its receiver."""
    await NotificationRepository(connection).mark_dead(notification.notification_id)
    log.warning(
        "notification %s to %s by %s is dead (%s)",
        notification.notification_id,
        notification.receiver_code,
        notification.channel,
        error,
    )
    failure = Failure(
        notification_id=notification.notification_id,
        kind=notification.kind,
        referral_id=notification.referral_id,
        assignee_code=notification.assignee_code,
        receiver_code=notification.receiver_code,
        channel=notification.channel,
        attempts=notification.attempts,
        receiver_name=await ReceiverRepository(connection).name_of(notification.receiver_code),
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
