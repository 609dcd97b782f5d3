"""Kafka subscribers of intake: the operator's read model of where each report went and how far its case has
come, a batch at a time; and the dead letters about reports, which make them stuck."""

from services.intake.application.record_routing import RecordRouting
from services.intake.application.stuck_reports import StuckReports
from services.intake.domain.stuck import WATCHED_TOPICS
from shared.dead_letter_watch import watch_dead_letters
from shared.events import (
    CallbackRecorded,
    DeadlineExtension,
    DeadlineScheduled,
    ReferralActionRecorded,
    ReferralAssigned,
    ReferralUnrouted,
    ReportLinked,
    ReportProgressed,
)
from shared.runtime import ServiceRuntime


def register(runtime: ServiceRuntime, record: RecordRouting, stuck: StuckReports) -> None:
    group = f"{runtime.consumer_group}-status"
    runtime.consume_batches(ReferralAssigned, record.referrals_assigned, group)
    runtime.consume_batches(ReferralUnrouted, record.referrals_unrouted, group)
    runtime.consume_batches(ReportLinked, record.reports_linked, group)
    runtime.consume_batches(DeadlineScheduled, record.deadlines_scheduled, group)
    runtime.consume_batches(ReferralActionRecorded, record.actions_recorded, group)
    runtime.consume_batches(DeadlineExtension, record.extensions_recorded, group)
    runtime.consume_batches(ReportProgressed, record.announcements_seen, group)
    runtime.consume_batches(CallbackRecorded, record.announcements_seen, group)
    dead_letters = f"{runtime.consumer_group}-dead-letters"
    runtime.consumer_groups.add(dead_letters)
    watch_dead_letters(
        runtime.broker, WATCHED_TOPICS, dead_letters, stuck.dead_letters, runtime.settings.consumer_batch
    )
