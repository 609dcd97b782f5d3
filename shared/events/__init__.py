"""Event contracts exchanged over Kafka: one pydantic model per event, named in the past tense.

Events never carry the reporter's identity unless the reporter consented to share it.
"""

from shared.domain.referrals import ReferralAction
from shared.events.base import Event, utcnow
from shared.events.deadlines import (
    DeadlineAlert,
    DeadlineBreached,
    DeadlineExtension,
    DeadlineReminderDue,
    DeadlineScheduled,
    SupervisionIssued,
)
from shared.events.directory import NotificationFailed, StationDirectoryChanged
from shared.events.referrals import (
    DivisionCandidate,
    ReferralActionRecorded,
    ReferralAssigned,
    ReferralUnrouted,
    ReportLinked,
)
from shared.events.reports import (
    CallbackRecorded,
    ReportedChild,
    ReporterFacts,
    ReportProgressed,
    ReportReceived,
    ReportStuck,
    SharedReporterIdentity,
)

__all__ = [
    "CallbackRecorded",
    "DeadlineAlert",
    "DeadlineBreached",
    "DeadlineExtension",
    "DeadlineReminderDue",
    "DeadlineScheduled",
    "DivisionCandidate",
    "Event",
    "NotificationFailed",
    "ReferralAction",
    "ReferralActionRecorded",
    "ReferralAssigned",
    "ReferralUnrouted",
    "ReportLinked",
    "ReportReceived",
    "ReportProgressed",
    "ReportStuck",
    "ReportedChild",
    "ReporterFacts",
    "SharedReporterIdentity",
    "StationDirectoryChanged",
    "SupervisionIssued",
    "utcnow",
]
