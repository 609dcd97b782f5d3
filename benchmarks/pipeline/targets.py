"""The "Against the targets" table: each target of the performance work, what this run measured, met or not."""

from dataclasses import dataclass

from benchmarks.pipeline.batch_phase import BatchResult
from benchmarks.pipeline.phases import PhaseResult

PARTS = ("intake", "referral", "notification", "postgres", "kafka", "mail")


@dataclass
class Target:
    measure: str
    target: str
    measured: str
    met: bool


def targets(
    idle: dict[str, float],
    at_100: PhaseResult,
    flat: PhaseResult,
    batch: BatchResult,
    engine: dict,
    drain: dict,
    phases: list[PhaseResult],
) -> list[Target]:
    peak = {service: max(p.peak_mb[service] for p in phases) for service in phases[0].peak_mb}
    idle_total = sum(idle.values())
    p50, p99 = at_100.to_deadline_ms["p50"], at_100.to_deadline_ms["p99"]
    return [
        Target(
            "CPU per report at 100/s, summed over every process of the system (the three services, PostgreSQL, "
            "Kafka, the mail catcher; the load generator counted apart)",
            "≤ 3 ms",
            f"{at_100.cpu_ms_per_report:.1f} ms",
            at_100.cpu_ms_per_report <= 3,
        ),
        Target(
            "accepted → deadline stored at 100/s, p50 / p99",
            "≤ 30 / ≤ 100 ms",
            f"{p50:.0f} / {p99:.0f} ms",
            p50 <= 30 and p99 <= 100,
        ),
        Target(
            "flat out, one report per request, through the pipeline",
            "≥ 500 reports/s",
            f"{flat.pipeline_per_second:.0f} reports/s",
            flat.pipeline_per_second >= 500,
        ),
        Target(
            "flat out through a new **batch intake** endpoint, and as a multiple of the raw insert ceiling "
            "measured in the same run",
            "≥ 1,000 reports/s, and ≥ 0.5× that ceiling",
            f"{batch.accepted_per_second:,.0f} reports/s, {batch.share_of_ceiling:.2f}× "
            f"(ceiling {batch.ceiling_per_second:,.0f} rows/s)",
            batch.accepted_per_second >= 1000 and batch.share_of_ceiling >= 0.5,
        ),
        Target(
            "backlog drain (referral)",
            "≥ 5,000 events/s",
            f"{drain['per_second']:,.0f} events/s",
            drain["per_second"] >= 5000,
        ),
        Target("idle, no traffic, whole system", "≤ 0.02 of a core", f"{idle_total:.3f} of a core", idle_total <= 0.02),
        Target(
            "memory per service",
            "≤ 200 MB",
            ", ".join(f"{service} {mb:.0f} MB" for service, mb in peak.items()),
            max(peak.values()) <= 200,
        ),
        Target(
            "deadline firing lag with 1 M pending, p99",
            "≤ 1 s",
            f"{engine['lag']['p99']:.0f} ms with {engine['pending']:,} pending",
            engine["lag"]["p99"] <= 1000 and engine["pending"] >= 1_000_000,
        ),
    ]


def table(rows: list[Target]) -> list[str]:
    return ["| measure | target | measured | met |", "|---|---|---|---|"] + [
        f"| {row.measure} | {row.target} | {row.measured} | {'yes' if row.met else '**no**'} |" for row in rows
    ]
