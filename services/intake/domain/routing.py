"""Where referral put a report and when its next deadline falls, as the operator sees them; each taken from the
event that announced it."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from shared.domain.codes import Priority
from shared.domain.referrals import Stage
from shared.events import DeadlineScheduled, ReferralAssigned, ReferralUnrouted, ReportLinked


class RoutingState(StrEnum):
    RECEIVED = "received"  # referral has not yet said where the report went
    ROUTED = "routed"
    UNROUTED = "unrouted"  # waiting for the hotline supervisors to dispatch it
    LINKED = "linked"  # added to the open referral of the same child


@dataclass(frozen=True)
class RoutingUpdate:
    report_id: UUID
    state: RoutingState
    referral_id: UUID
    assignee_code: str | None
    assignee_name: str | None
    priority: Priority
    reason: str | None


@dataclass(frozen=True)
class ScheduledDeadline:
    report_id: UUID
    stage: Stage
    due_at: datetime


def routed(event: ReferralAssigned) -> RoutingUpdate:
    return _held(event, RoutingState.ROUTED)


def linked(event: ReportLinked) -> RoutingUpdate:
    return _held(event, RoutingState.LINKED)


def unrouted(event: ReferralUnrouted) -> RoutingUpdate:
    return RoutingUpdate(
        event.report_id, RoutingState.UNROUTED, event.referral_id, None, None, event.priority, event.reason
    )


def _held(event: ReferralAssigned | ReportLinked, state: RoutingState) -> RoutingUpdate:
    """A station or centre holds the report's referral."""
    return RoutingUpdate(
        event.report_id, state, event.referral_id, event.assignee_code, event.assignee_name, event.priority, None
    )


def scheduled(event: DeadlineScheduled) -> ScheduledDeadline:
    return ScheduledDeadline(event.report_id, event.stage, event.due_at)
