"""What delivery works with: a notification (one notice to one receiver over one channel) and its states,
the outcome of each attempt, and how long a failure waits before the next."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.notices import Notice, NoticeKind


class NotificationStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"  # never to be delivered; the level above is told


class AttemptOutcome(StrEnum):
    IN_FLIGHT = "in_flight"  # stays when the service stopped during the attempt
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True)
class Notification:
    notification_id: UUID
    cause_event_id: UUID
    kind: NoticeKind
    referral_id: UUID | None
    assignee_code: str
    receiver_code: str
    channel: DeliveryChannel
    address: str
    subject: str
    body: str
    status: NotificationStatus
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True)
class AddressedNotice:
    """A notice for one receiver over one channel, to be stored as a notification."""

    cause_event_id: UUID
    notice: Notice
    receiver_code: str
    channel: DeliveryChannel
    address: str


@dataclass(frozen=True)
class DeliveryAttempt:
    attempt: int
    started_at: datetime
    finished_at: datetime | None
    outcome: AttemptOutcome
    error: str | None


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    first_delay: timedelta = timedelta(seconds=30)
    longest_delay: timedelta = timedelta(hours=1)

    def delay_after(self, attempt: int) -> timedelta:
        return min(self.first_delay * 2 ** (attempt - 1), self.longest_delay)
