"""A report as intake accepts it: the child, the concerns, what may be known of the reporter and, apart, who the
reporter is. What intake announces of it, and under which Kafka key."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.intake.domain.reporter_identity import ReporterIdentity
from shared.domain.child_identity import child_identity
from shared.domain.codes import Channel, Concern
from shared.events import ReportedChild, ReporterFacts, ReportReceived, SharedReporterIdentity


@dataclass(frozen=True)
class Report:
    hotline_ticket_id: str | None
    received_at: datetime | None  # when the call came in, where the caller says so
    channel: Channel
    child: ReportedChild
    concerns: list[Concern]
    immediate_danger: bool
    narrative: str
    reporter: ReporterFacts
    identity: ReporterIdentity
    identity_shared: bool  # the reporter consents to the stations seeing who they are

    def announcement(self, report_id: UUID, received_at: datetime) -> ReportReceived:
        """The event; it carries the reporter's identity only when the reporter consented."""
        shared = SharedReporterIdentity(**self.identity.model_dump()) if self.identity_shared else None
        return ReportReceived(
            report_id=report_id,
            hotline_ticket_id=self.hotline_ticket_id,
            received_at=received_at,
            channel=self.channel,
            child=self.child,
            concerns=self.concerns,
            immediate_danger=self.immediate_danger,
            mandatory_report=self.reporter.mandatory_reporter,
            reporter=self.reporter,
            reporter_identity=shared,
            narrative=self.narrative,
        )

    def child_key(self, secret: bytes, report_id: UUID) -> str:
        """The Kafka key: the child's identity where intake can tell it, else the report's own id. It spreads
        the load; referral's lock on the child's identity is what keeps one child's reports in order."""
        return child_identity(secret, self.child.facts(), self.child.division_code) or str(report_id)
