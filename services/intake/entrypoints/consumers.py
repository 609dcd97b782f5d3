"""Kafka subscribers of intake: the operator's read model of where each report went, a batch at a time."""

from services.intake.application.record_routing import RecordRouting
from shared.events import DeadlineScheduled, ReferralAssigned, ReferralUnrouted, ReportLinked
from shared.runtime import ServiceRuntime


def register(runtime: ServiceRuntime, record: RecordRouting) -> None:
    group = f"{runtime.consumer_group}-status"
    runtime.consume_batches(ReferralAssigned, record.referrals_assigned, group)
    runtime.consume_batches(ReferralUnrouted, record.referrals_unrouted, group)
    runtime.consume_batches(ReportLinked, record.reports_linked, group)
    runtime.consume_batches(DeadlineScheduled, record.deadlines_scheduled, group)
