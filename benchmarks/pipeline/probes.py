"""What the benchmark watches while load runs: each service's CPU time and resident memory (from /proc),
the outbox rows not yet published in each service's database, and each consumer group's lag."""

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from shared.kafka_connection import kafka_connection

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime and stime


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class ProcessUse:
    """CPU (as a share of one core) and peak resident memory of each process over a phase."""

    pids: dict[str, int]
    cpu_start: dict[str, float] = field(default_factory=dict)
    peak_mb: dict[str, float] = field(default_factory=dict)

    def begin(self) -> None:
        self.cpu_start = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self.peak_mb = {name: resident_mb(pid) for name, pid in self.pids.items()}

    def sample(self) -> None:
        for name, pid in self.pids.items():
            self.peak_mb[name] = max(self.peak_mb[name], resident_mb(pid))

    def cpu_share(self, seconds: float) -> dict[str, float]:
        return {name: (cpu_seconds(pid) - self.cpu_start[name]) / seconds for name, pid in self.pids.items()}


@dataclass
class Backlogs:
    outbox_peak: dict[str, int] = field(default_factory=dict)
    lag_peak: dict[str, int] = field(default_factory=dict)


async def consumer_lag(admin: AIOKafkaAdminClient, offsets: AIOKafkaConsumer, group: str) -> int:
    committed = await admin.list_consumer_group_offsets(group)
    if not committed:
        return 0
    ends = await offsets.end_offsets(list(committed))
    return sum(max(0, ends[tp] - meta.offset) for tp, meta in committed.items() if meta.offset >= 0)


@contextlib.asynccontextmanager
async def watching(
    bootstrap: str, database_urls: dict[str, str], groups: list[str], use: ProcessUse, every: float = 0.5
) -> AsyncIterator[Backlogs]:
    backlogs = Backlogs()
    connections = {name: await asyncpg.connect(url) for name, url in database_urls.items()}
    admin = AIOKafkaAdminClient(**kafka_connection(bootstrap).client_options())
    offsets = AIOKafkaConsumer(**kafka_connection(bootstrap).client_options(), group_id=None)
    await admin.start()
    await offsets.start()

    async def sample() -> None:
        while True:
            use.sample()
            for name, connection in connections.items():
                backlog = await connection.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                backlogs.outbox_peak[name] = max(backlogs.outbox_peak.get(name, 0), backlog)
            for group in groups:
                lag = await consumer_lag(admin, offsets, group)
                backlogs.lag_peak[group] = max(backlogs.lag_peak.get(group, 0), lag)
            await asyncio.sleep(every)

    task = asyncio.create_task(sample())
    try:
        yield backlogs
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await offsets.stop()
        await admin.close()
        for connection in connections.values():
            await connection.close()
