"""The stations directory as referral keeps it, and notices that could not be delivered."""

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from shared import topics
from shared.domain.codes import AssigneeKind
from shared.events.base import Event


class StationDirectoryChanged(Event):
    """A station's or centre's entry in the directory as it now is: referral announces it, notification
    keeps the contacts it delivers to. Keyed by code on a compacted topic."""

    TOPIC: ClassVar[str] = topics.STATION_DIRECTORY
    code: str
    kind: AssigneeKind
    name: str
    county_code: str
    sms_phone: str | None = None
    email: str | None = None
    webhook_url: str | None = None
    active: bool = True
    updated_at: datetime


class NotificationFailed(Event):
    """A notification could not be delivered after its last attempt; the centre (or committee) is told."""

    TOPIC: ClassVar[str] = topics.NOTIFICATION_FAILED
    notification_id: UUID
    kind: str
    referral_id: UUID | None
    receiver_code: str
    channel: str
    attempts: int
    error: str  # the kind of failure, never the message body
