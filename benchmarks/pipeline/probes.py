"""What the benchmark watches while load runs: the CPU time of every process of the system and the services'
resident memory (from /proc), the outbox rows not yet published in each service's database, and each
consumer group's lag."""

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import asyncpg
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from benchmarks.pipeline.system_cpu import SystemCpu, resident_mb
from shared.kafka_connection import kafka_connection

LAG_EVERY = 4  # samples: consumer lag is asked every 2 s, outbox backlogs every 0.5 s


@dataclass
class ProcessUse:
    """CPU seconds of each part of the system and peak resident memory of each service over a phase."""

    cpu: SystemCpu
    services: tuple[str, ...]
    peak_mb: dict[str, float] = field(default_factory=dict)

    def begin(self) -> None:
        self.cpu.begin()
        self.peak_mb = {name: resident_mb(self.cpu.pids[name]) for name in self.services}

    def sample(self) -> None:
        for name in self.services:
            self.peak_mb[name] = max(self.peak_mb[name], resident_mb(self.cpu.pids[name]))

    def cpu_seconds(self) -> dict[str, float]:
        return self.cpu.seconds_since_begin()


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
    use.cpu.left_out.update(connection.get_server_pid() for connection in connections.values())
    admin = AIOKafkaAdminClient(**kafka_connection(bootstrap).client_options())
    offsets = AIOKafkaConsumer(**kafka_connection(bootstrap).client_options(), group_id=None)
    await admin.start()
    await offsets.start()

    async def sample() -> None:
        for round_number in itertools.count():
            use.sample()
            for name, connection in connections.items():
                backlog = await connection.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                backlogs.outbox_peak[name] = max(backlogs.outbox_peak.get(name, 0), backlog)
            if round_number % LAG_EVERY == 0:  # asking Kafka costs Kafka's CPU, which the phase counts
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
