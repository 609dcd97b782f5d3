"""End-to-end latency and throughput of the local system, side by side with the raw broker and database.
Starts its own system (./run --detach in .run/benchmark), prints figures as it goes, writes
docs/BENCHMARKS.md and stops the system. Asserts nothing.

    .venv/bin/python -m benchmarks.pipeline [--seconds 20] [--deadlines 1000000] [--backlog 100000]
        [--batch-reports 10000] [--idle-seconds 30]
"""

import argparse
import asyncio
import json
import shutil
from datetime import timedelta
from pathlib import Path

import asyncpg

from benchmarks.pipeline import ceiling, deadline_engine, load, replay, report
from benchmarks.pipeline.batch_phase import run_batches
from benchmarks.pipeline.phases import run_phase
from benchmarks.pipeline.probes import ProcessUse
from benchmarks.pipeline.quiet import idle_cpu
from benchmarks.pipeline.system_cpu import SystemCpu, system_pids
from benchmarks.pipeline.tracking import tracking
from deploy.local.detached import SERVICES, start_system
from deploy.local.process import REPO_ROOT
from shared.auth.tokens import issue_token
from shared.domain.access import Role
from shared.settings import DEVELOPMENT_JWT_SECRET

KAFKA_VERSION = "3.9.2"


async def measure(args: argparse.Namespace) -> None:
    state = REPO_ROOT / ".run" / "benchmark"
    shutil.rmtree(state, ignore_errors=True)
    print("starting the system (./run --detach)", flush=True)
    system = start_system(state)
    try:
        infra = system.infra()
        bootstrap, admin_url = infra["KAFKA_BOOTSTRAP_SERVERS"], infra["DATABASE_URL"]
        databases = {service: infra[f"{service.upper()}_DATABASE_URL"] for service in SERVICES}
        token = issue_token(DEVELOPMENT_JWT_SECRET, "benchmark", Role.OPERATOR, "1407", timedelta(hours=4))
        use = ProcessUse(SystemCpu(system_pids(state, SERVICES)), SERVICES)
        print(f"idle for {args.idle_seconds} s", flush=True)
        idle = await idle_cpu(use.cpu, args.idle_seconds)
        print(f"  {json.dumps({part: round(share, 4) for part, share in idle.items()})}", flush=True)
        phases = []
        async with tracking(bootstrap) as tracker, load.client_for(system.urls["intake"], token) as client:
            await load.at_rate(client, 20, 2)  # warm-up: connections, caches, consumer assignments
            for name, rate in [(f"{r}/s", r) for r in args.rates] + [("flat out", None)]:
                print(f"phase {name} for {args.seconds} s", flush=True)
                phases.append(await run_phase(name, rate, args.seconds, client, tracker, use, bootstrap, databases))
                print(f"  {json.dumps(_brief(phases[-1]), ensure_ascii=False)}", flush=True)
            print(f"batch intake: {args.batch_reports:,} reports flat out, then the raw insert ceiling", flush=True)
            batch = await run_batches(
                system.urls["intake"], token, databases["intake"], args.batch_reports, tracker, use
            )
            print(f"  {batch}", flush=True)
        size = len(load.REPORT["narrative"].encode()) + 600
        print("the ceiling: raw Kafka hop and raw PostgreSQL insert", flush=True)
        ceilings = {
            "kafka": await ceiling.kafka_hop(bootstrap, size, rate=100, count=100 * args.seconds),
            "postgres": await ceiling.postgres_insert(admin_url, size, rate=100, count=100 * args.seconds),
        }
        print(f"  {ceilings}", flush=True)
        print(f"deadline engine with {args.deadlines:,} pending deadlines", flush=True)
        engine = await deadline_engine.run(admin_url, pending=args.deadlines)
        print(f"  lag {engine['lag']}, partial index used: {engine['uses_partial_index']}", flush=True)
        print(f"backlog drain of {args.backlog:,} events", flush=True)
        drained = await replay.run(system, bootstrap, args.backlog)
        print(f"  {drained}", flush=True)
        facts = {"kafka": KAFKA_VERSION, "postgres": await _postgres_version(admin_url), "message_bytes": size}
        report.write(args.output, facts, report.Figures(idle, phases, batch, ceilings, engine, drained))
        print(f"wrote {args.output}")
    finally:
        system.down()


def _brief(phase) -> dict:
    return {
        "accepted": phase.accepted,
        "completed": phase.completed,
        "accept p99 ms": round(phase.accept_ms["p99"], 1),
        "to deadline p99 ms": round(phase.to_deadline_ms["p99"], 1),
        "through pipeline/s": round(phase.pipeline_per_second),
        "CPU ms per report": round(phase.cpu_ms_per_report, 2),
    }


async def _postgres_version(admin_url: str) -> str:
    connection = await asyncpg.connect(admin_url)
    try:
        return (await connection.fetchval("SELECT version()")).split(" on ")[0]
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="length of each load phase")
    parser.add_argument("--rates", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--deadlines", type=int, default=1_000_000)
    parser.add_argument("--backlog", type=int, default=100_000)
    parser.add_argument("--batch-reports", type=int, default=10_000, help="sent through the batch intake")
    parser.add_argument("--idle-seconds", type=int, default=30)
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "BENCHMARKS.md")
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
