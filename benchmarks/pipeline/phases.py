"""One load phase: reports sent at a rate (or flat out) while the pipeline is followed and watched, then
waited for until each has its deadline stored."""

import asyncio
from dataclasses import dataclass

import aiohttp

from benchmarks.pipeline import load
from benchmarks.pipeline.probes import Backlogs, ProcessUse, watching
from benchmarks.pipeline.stats import summary
from benchmarks.pipeline.tracking import PipelineTracker, wait_until_complete

GROUPS = ["referral", "notification", "intake-status"]


@dataclass
class PhaseResult:
    name: str
    rate: float | None
    sent: int
    accepted: int
    failures: dict[str, int]
    accept_ms: dict[str, float]
    to_assigned_ms: dict[str, float]
    to_deadline_ms: dict[str, float]
    accepted_per_second: float
    pipeline_per_second: float
    completed: int
    elapsed: float
    cpu_seconds: dict[str, float]  # each part of the system, over the phase and its drain
    peak_mb: dict[str, float]
    backlogs: Backlogs

    def cpu_share(self, part: str) -> float:
        return self.cpu_seconds[part] / self.elapsed

    @property
    def cpu_ms_per_report(self) -> float:
        """CPU of every process of the system (the load generator apart) per report accepted."""
        return sum(self.cpu_seconds.values()) * 1000 / max(self.accepted, 1)


async def run_phase(
    name: str,
    rate: float | None,
    seconds: float,
    client: aiohttp.ClientSession,
    tracker: PipelineTracker,
    use: ProcessUse,
    bootstrap: str,
    database_urls: dict[str, str],
) -> PhaseResult:
    use.begin()
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with watching(bootstrap, database_urls, GROUPS, use) as backlogs:
        sent = await (load.at_rate(client, rate, seconds) if rate else load.flat_out(client, seconds))
        await wait_until_complete(tracker, sent.report_ids)
        cpu_seconds = use.cpu_seconds()  # before the watcher's own connections end and join the postmaster's time
    elapsed = loop.time() - started
    latencies = tracker.latencies(sent.report_ids)
    return PhaseResult(
        name=name,
        rate=rate,
        sent=sent.sent,
        accepted=len(sent.report_ids),
        failures=dict(sent.failures),
        accept_ms=summary(sent.latencies_ms),
        to_assigned_ms=latencies["assigned"],
        to_deadline_ms=latencies["deadline"],
        accepted_per_second=len(sent.report_ids) / sent.seconds,
        pipeline_per_second=through_pipeline(tracker, sent.report_ids),
        completed=tracker.completed(sent.report_ids),
        elapsed=elapsed,
        cpu_seconds=cpu_seconds,
        peak_mb=dict(use.peak_mb),
        backlogs=backlogs,
    )


def through_pipeline(tracker: PipelineTracker, report_ids: list[str]) -> float:
    """Reports per second from the first acceptance to the last stored deadline."""
    moments = [tracker.times.get(report_id, {}) for report_id in report_ids]
    received = [m["received"] for m in moments if "received" in m]
    stored = [m["deadline"] for m in moments if "deadline" in m]
    if not received or not stored:
        return 0.0
    return len(stored) / max((max(stored) - min(received)).total_seconds(), 1e-9)
