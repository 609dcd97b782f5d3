"""Writes docs/BENCHMARKS.md from the figures of one run: machine, versions, figures, ratios, targets."""

import os
import platform
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from benchmarks.pipeline.batch_phase import BatchResult
from benchmarks.pipeline.phases import PhaseResult
from benchmarks.pipeline.stats import ratio
from benchmarks.pipeline.targets import PARTS, table, targets

PACKAGES = ("faststream", "aiokafka", "asyncpg", "fastapi", "uvicorn", "pydantic")


def machine() -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    return [
        f"- CPU: {model}, {len(os.sched_getaffinity(0))} cores; memory {memory_kb / 1024 / 1024:.0f} GiB",
        f"- {platform.system()} {platform.release()}, Python {platform.python_version()}",
    ]


def _ms(figures: dict[str, float]) -> str:
    return f"{figures['p50']:.1f} / {figures['p99']:.1f} / {figures['max']:.1f}"


@dataclass
class Figures:
    idle: dict[str, float]
    phases: list[PhaseResult]
    batch: BatchResult
    ceiling: dict
    engine: dict
    replay: dict


def write(path: Path, facts: dict, figures: Figures) -> None:
    idle, phases, batch, ceiling = figures.idle, figures.phases, figures.batch, figures.ceiling
    engine, replay = figures.engine, figures.replay
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} by `.venv/bin/python -m benchmarks.pipeline`, "
        "with Kafka, PostgreSQL, the three services and the load generator all on this one machine.",
        "",
        "## Machine and versions",
        "",
        *machine(),
        f"- Apache Kafka {facts['kafka']}, {facts['postgres']}",
        "- " + ", ".join(f"{name} {version(name)}" for name in PACKAGES),
        "",
        "## The pipeline under load",
        "",
        "Reports sent to intake over HTTP; acceptance is the HTTP round trip (client side); the other two "
        "are from intake's `ReportReceived` to referral's `ReferralAssigned` and to notification's first "
        "`DeadlineScheduled`, each the `occurred_at` stamped inside the transaction that made the change. "
        "Latencies in ms as p50 / p99 / max.",
        "",
        "| phase | sent | accepted | accept | → assigned | → deadline stored | accepted/s | through pipeline/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in phases:
        failures = f" ({', '.join(f'{k} {v}' for k, v in p.failures.items())})" if p.failures else ""
        lines.append(
            f"| {p.name} | {p.sent} | {p.accepted}{failures} | {_ms(p.accept_ms)} | {_ms(p.to_assigned_ms)} | "
            f"{_ms(p.to_deadline_ms)} | {p.accepted_per_second:.0f} | {p.pipeline_per_second:.0f} |"
        )
    lines += [
        "",
        "CPU of every process of the system, each with its children (PostgreSQL's backends; the benchmark's "
        "own database connections left out), as a share of one core over the phase and its drain, and in "
        "milliseconds per accepted report summed over them all:",
        "",
        "| phase | " + " | ".join(PARTS) + " | CPU per report |",
        "|---|" + "---|" * (len(PARTS) + 1),
    ]
    for p in phases:
        shares = " | ".join(f"{p.cpu_share(part):.2f}" for part in PARTS)
        lines.append(f"| {p.name} | {shares} | {p.cpu_ms_per_report:.1f} ms |")
    lines += [
        "",
        "Peak resident memory of each service; peak outbox backlog (rows not yet published) and peak consumer "
        "lag (messages):",
        "",
        "| phase | intake / referral / notification MB | outbox intake / referral / notification "
        "| lag referral / notification / intake |",
        "|---|---|---|---|",
    ]
    for p in phases:
        memory = " / ".join(f"{p.peak_mb[s]:.0f}" for s in ("intake", "referral", "notification"))
        outbox = " / ".join(str(p.backlogs.outbox_peak.get(s, 0)) for s in ("intake", "referral", "notification"))
        lag = " / ".join(str(p.backlogs.lag_peak.get(g, 0)) for g in ("referral", "notification", "intake-status"))
        lines.append(f"| {p.name} | {memory} | {outbox} | {lag} |")
    batch_cpu = sum(batch.cpu_seconds.values()) * 1000 / max(batch.completed, 1)
    lines += [
        "",
        "## Batch intake",
        "",
        f"{batch.reports:,} reports sent flat out to `POST /v1/reports/batch`, 500 a request, 4 requests at once; "
        f"then, on the same database, the raw insert ceiling: the same rows written by COPY into a scratch copy of "
        f"the reports table (its indexes too), 500 a transaction, 4 writers.",
        "",
        "| accepted/s | refused | through pipeline/s | CPU per report | raw insert ceiling | batch intake / ceiling |",
        "|---|---|---|---|---|---|",
        f"| {batch.accepted_per_second:,.0f} | {batch.refused} | {batch.pipeline_per_second:,.0f} "
        f"({batch.completed:,} with deadlines) | {batch_cpu:.1f} ms | {batch.ceiling_per_second:,.0f} rows/s "
        f"| {batch.share_of_ceiling:.2f}× |",
        "",
        "## Idle",
        "",
        "No traffic, 20 s after the system was up; share of one core over the measured seconds:",
        "",
        "| " + " | ".join(PARTS) + " | whole system |",
        "|" + "---|" * (len(PARTS) + 1),
        "| " + " | ".join(f"{idle[part]:.3f}" for part in PARTS) + f" | {sum(idle.values()):.3f} |",
    ]
    at_100 = next((p for p in phases if p.rate == 100), phases[0])
    flat = phases[-1]
    kafka, postgres = ceiling["kafka"], ceiling["postgres"]
    lines += [
        "",
        "## The ceiling, and the pipeline as a multiple of it",
        "",
        f"On the same broker and database: a raw aiokafka produce → consume hop of {facts['message_bytes']}-byte "
        f"messages (the size of a `ReportReceived`), and a raw asyncpg insert of a report row, one transaction "
        f"each, at {at_100.rate:.0f}/s and then flat out.",
        "",
        "| | p50 / p99 / max ms | flat out per second |",
        "|---|---|---|",
        f"| Kafka hop | {_ms(kafka['latency'])} | {kafka['per_second']:.0f} |",
        f"| PostgreSQL insert | {_ms(postgres['latency'])} | {postgres['per_second']:.0f} |",
        "",
        f"- acceptance p99 at {at_100.rate:.0f}/s is {ratio(at_100.accept_ms['p99'], postgres['latency']['p99']):.1f}× "
        "the raw insert's p99",
        f"- accepted → deadline stored p99 at {at_100.rate:.0f}/s is "
        f"{ratio(at_100.to_deadline_ms['p99'], kafka['latency']['p99']):.1f}× one Kafka hop's p99 "
        "(the pipeline makes two hops and five transactions)",
        f"- flat out, the pipeline carries {ratio(flat.pipeline_per_second, kafka['per_second']):.3f}× the raw hop's "
        f"rate and {ratio(flat.pipeline_per_second, postgres['per_second']):.3f}× the raw insert's",
        "",
        "## Deadline engine",
        "",
        f"{engine['pending']:,} pending deadlines with their timers; {engine['due_per_second']:,} come due each "
        f"second for a while (filled in {engine['fill_seconds']:.0f} s). Firing lag (fired − due) in ms, "
        f"p50 / p99 / max over {engine['lag']['count']:,} fired timers: {_ms(engine['lag'])}; still due at the "
        f"end: {engine['left_due']}. The due-claim uses the partial index `timers_pending_due`: "
        f"{'yes' if engine['uses_partial_index'] else 'no'}.",
        "",
        "```",
        engine["plan"],
        "```",
        "",
        "## Draining a backlog",
        "",
        f"referral stopped, {replay['backlog']:,} `ReportReceived` events waiting; started again, it was ready "
        f"in {replay['start_seconds']:.1f} s and drained them in {replay['drain_seconds']:.1f} s: "
        f"{replay['per_second']:.0f} events/s (lag left: {replay['left']}).",
        "",
        "## Against the targets",
        "",
        *table(targets(idle, at_100, flat, batch, engine, replay, phases)),
        "",
    ]
    path.write_text("\n".join(lines))
