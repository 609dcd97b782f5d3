"""Kafka subscribers of the referral service."""

from services.referral.application.referring import Referrer
from shared.events import ReportReceived
from shared.runtime import ServiceRuntime


def register(runtime: ServiceRuntime, referrer: Referrer) -> None:
    async def on_reports_received(reports: list[ReportReceived]) -> None:
        await referrer.refer_many(reports)

    runtime.consume_batches(ReportReceived, on_reports_received)
