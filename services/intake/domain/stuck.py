"""Which accepted reports went no further, and what is said of them. Pure: no I/O.

A report is stuck when an event about it is set aside in a dead-letter topic (unless the report went further
after that: the dead letter was replayed already), or when no referral comes of it within the set time. It
stays stuck until a referral comes of it (or, for a dead letter, until the event set aside is handled after
all), which is what replaying the dead letters does once the cause is fixed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from shared.domain.codes import StuckReason
from shared.events import (
    CallbackRecorded,
    DeadlineBreached,
    DeadlineExtension,
    DeadlineReminderDue,
    DeadlineScheduled,
    ReferralActionRecorded,
    ReferralAssigned,
    ReferralUnrouted,
    ReportLinked,
    ReportProgressed,
    ReportReceived,
    ReportStuck,
    SupervisionIssued,
)

# The events about a report, whose dead letters make it stuck: the platform or the reporter was not told of a
# step (ReportProgressed), a callback did not reach the case (CallbackRecorded).
WATCHED_EVENTS = (
    ReportReceived,
    ReferralAssigned,
    ReferralUnrouted,
    ReportLinked,
    ReferralActionRecorded,
    DeadlineScheduled,
    DeadlineReminderDue,
    DeadlineBreached,
    SupervisionIssued,
    ReportProgressed,
    CallbackRecorded,
)
# About a report, but their dead letters leave it no worse off: a stuck notice not made; a 延期 request or
# decision not seen (the deadline it moves comes again as DeadlineScheduled).
NOT_WATCHED = (ReportStuck, DeadlineExtension)
WATCHED_TOPICS = tuple(event.TOPIC for event in WATCHED_EVENTS)
STRAY_WINDOW = timedelta(days=1)  # how long a dead letter about no known report is warned of


@dataclass(frozen=True)
class StuckMark:
    report_id: UUID
    reason: StuckReason
    since: datetime
    error: str | None = None
    source_topic: str | None = None
    consumer_group: str | None = None
    event_id: UUID | None = None  # the event set aside


def first_per_report(marks: Iterable[StuckMark]) -> list[StuckMark]:
    """A report is stuck for a reason once at a time: the first dead letter about it says why."""
    first: dict[UUID, StuckMark] = {}
    for mark in marks:
        first.setdefault(mark.report_id, mark)
    return list(first.values())


def announcement(mark: StuckMark, hotline_ticket_id: str | None) -> ReportStuck:
    return ReportStuck(
        report_id=mark.report_id,
        hotline_ticket_id=hotline_ticket_id,
        reason=mark.reason,
        since=mark.since,
        error=mark.error,
        source_topic=mark.source_topic,
        consumer_group=mark.consumer_group,
    )


@dataclass(frozen=True)
class StuckCounts:
    stuck: dict[StuckReason, int]
    strays: int  # dead letters about no report intake knows, within STRAY_WINDOW

    def warning(self) -> str | None:
        """For /health/ready: what an administrator should look at."""
        parts = []
        if total := sum(self.stuck.values()):
            by_reason = ", ".join(f"{reason} {count}" for reason, count in sorted(self.stuck.items()) if count)
            parts.append(f"{total} report(s) stuck ({by_reason}): GET /v1/reports/stuck lists them")
        if self.strays:
            parts.append(
                f"{self.strays} dead letter(s) about no known report in the last day: "
                "python -m shared.dead_letters show"
            )
        return "; ".join(parts) or None


NOTHING_STUCK = StuckCounts({}, 0)
