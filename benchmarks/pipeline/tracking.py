"""Follows each report through the pipeline on Kafka: when intake accepted it (ReportReceived), when referral
assigned it (ReferralAssigned) and when notification stored its deadlines (DeadlineScheduled). Times are the
events' own `occurred_at`, set inside the transaction that made each change, on this one machine's clock."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import datetime

from aiokafka import AIOKafkaConsumer

from benchmarks.pipeline.stats import summary
from shared.kafka_connection import kafka_connection
from shared.topics import DEADLINE_SCHEDULED, REFERRAL_ASSIGNED, REPORT_RECEIVED

STEPS = {REPORT_RECEIVED: "received", REFERRAL_ASSIGNED: "assigned", DEADLINE_SCHEDULED: "deadline"}


class PipelineTracker:
    def __init__(self) -> None:
        self.times: dict[str, dict[str, datetime]] = {}

    def record(self, topic: str, payload: dict) -> None:
        step = STEPS[topic]
        moments = self.times.setdefault(payload["report_id"], {})
        if step not in moments:  # the first of a report's deadlines, and the first assignment
            moments[step] = datetime.fromisoformat(payload["occurred_at"])

    def latencies(self, report_ids: list[str]) -> dict[str, dict[str, float]]:
        """Milliseconds from acceptance to assignment and to the stored deadline, for these reports."""
        to_assigned, to_deadline = [], []
        for report_id in report_ids:
            moments = self.times.get(report_id, {})
            if "received" in moments and "assigned" in moments:
                to_assigned.append((moments["assigned"] - moments["received"]).total_seconds() * 1000)
            if "received" in moments and "deadline" in moments:
                to_deadline.append((moments["deadline"] - moments["received"]).total_seconds() * 1000)
        return {"assigned": summary(to_assigned), "deadline": summary(to_deadline)}

    def completed(self, report_ids: list[str]) -> int:
        return sum(1 for report_id in report_ids if "deadline" in self.times.get(report_id, {}))


@contextlib.asynccontextmanager
async def tracking(bootstrap: str) -> AsyncIterator[PipelineTracker]:
    tracker = PipelineTracker()
    consumer = AIOKafkaConsumer(
        *STEPS, **kafka_connection(bootstrap).client_options(), auto_offset_reset="latest", group_id=None
    )
    await consumer.start()

    async def follow() -> None:
        async for record in consumer:
            tracker.record(record.topic, json.loads(record.value))

    task = asyncio.create_task(follow())
    await asyncio.sleep(2)  # the consumer has its partitions and sits at their ends
    try:
        yield tracker
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await consumer.stop()


async def wait_until_complete(tracker: PipelineTracker, report_ids: list[str], seconds: float = 600) -> float:
    """Waits until every report has a stored deadline (bounded); returns how long that took."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while tracker.completed(report_ids) < len(report_ids) and loop.time() - start < seconds:
        await asyncio.sleep(0.2)
    return loop.time() - start
