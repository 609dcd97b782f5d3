"""Kafka subscribers of the referral service."""

from services.referral.application.referring import Referrer
from services.referral.application.reopening import Reopener
from shared.events import CallbackRecorded, ReportReceived
from shared.runtime import ServiceRuntime


def register(runtime: ServiceRuntime, referrer: Referrer, reopener: Reopener) -> None:
    async def on_reports_received(reports: list[ReportReceived]) -> None:
        await referrer.refer_many(reports)

    async def on_callbacks_recorded(callbacks: list[CallbackRecorded]) -> None:
        await reopener.on_callbacks(callbacks)

    runtime.consume_batches(ReportReceived, on_reports_received)
    runtime.consume_batches(CallbackRecorded, on_callbacks_recorded)
