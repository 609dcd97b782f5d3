"""Kafka subscribers of the referral service."""

from services.referral.referrals import refer_report
from shared.consuming import register_consumer
from shared.events import ReportReceived
from shared.runtime import ServiceRuntime


def register(runtime: ServiceRuntime) -> None:
    async def on_report_received(report: ReportReceived) -> None:
        await refer_report(runtime.pool, report)

    register_consumer(
        runtime.broker, event_type=ReportReceived, group_id=runtime.consumer_group, handle=on_report_received
    )
