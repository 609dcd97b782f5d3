"""Kafka subscribers of the referral service."""

from collections.abc import Callable

from services.referral.gazetteer import Gazetteer
from services.referral.referrals import Referrer
from shared.events import ReportReceived
from shared.runtime import ServiceRuntime


def register(runtime: ServiceRuntime, gazetteer: Callable[[], Gazetteer]) -> None:
    async def on_reports_received(reports: list[ReportReceived]) -> None:
        await Referrer(runtime.pool, gazetteer, runtime.settings).refer_many(reports)

    runtime.consume_batches(ReportReceived, on_reports_received)
