"""What delivery works with: a notification (one notice to one receiver over one channel) and its states,
the outcome of each attempt, and how long a failure waits before the next."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.notices import Notice, NoticeKind
from shared.domain.problems import Conflict


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
    resends: int = 0  # times an administrator sent it again after it died
    traceparent: str | None = None  # the trace of the transaction that made it, when traced (README, Traces)
    tracestate: str | None = None


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
    round: int = 0  # 0 for the first sending, then one more for each resend


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    first_delay: timedelta = timedelta(seconds=30)
    longest_delay: timedelta = timedelta(hours=1)

    def delay_after(self, attempt: int) -> timedelta:
        return min(self.first_delay * 2 ** (attempt - 1), self.longest_delay)


def check_resendable(notification: Notification) -> None:
    """Only a dead notification to a receiver that has an address on its channel may be sent again."""
    if notification.status is not NotificationStatus.DEAD:
        raise Conflict("只有未能送达的通知可以重发", code="not_dead")
    if notification.channel is DeliveryChannel.NONE:
        raise Conflict("该单位没有可用的联系方式，请先补全后等待新的通知", code="no_channel")
