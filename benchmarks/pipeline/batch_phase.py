"""Flat out through the batch intake (`POST /v1/reports/batch`), each report followed down the pipeline, then
the raw insert ceiling on the same database (COPY into a scratch copy of the reports table, as many writers)."""

import uuid
from dataclasses import dataclass

from benchmarks.batch_intake import batches, raw_ceiling, through_the_endpoint
from benchmarks.pipeline.phases import through_pipeline
from benchmarks.pipeline.probes import ProcessUse
from benchmarks.pipeline.tracking import PipelineTracker, wait_until_complete

BATCH_SIZE = 500
SENDERS = 4


@dataclass
class BatchResult:
    reports: int
    accepted_per_second: float
    refused: int
    completed: int
    pipeline_per_second: float
    ceiling_per_second: float
    cpu_seconds: dict[str, float]

    @property
    def share_of_ceiling(self) -> float:
        return self.accepted_per_second / self.ceiling_per_second


async def run_batches(
    intake_url: str, token: str, intake_database: str, reports: int, tracker: PipelineTracker, use: ProcessUse
) -> BatchResult:
    run = uuid.uuid4().hex[:8]
    use.begin()
    sent = await through_the_endpoint(intake_url, token, batches(run, reports, BATCH_SIZE), SENDERS)
    await wait_until_complete(tracker, sent.report_ids)
    cpu_seconds = use.cpu_seconds()
    ceiling = await raw_ceiling(intake_database, batches(f"{run}c", reports, BATCH_SIZE), SENDERS)
    return BatchResult(
        reports=reports,
        accepted_per_second=sent.per_second,
        refused=sent.refused,
        completed=tracker.completed(sent.report_ids),
        pipeline_per_second=through_pipeline(tracker, sent.report_ids),
        ceiling_per_second=ceiling,
        cpu_seconds=cpu_seconds,
    )
