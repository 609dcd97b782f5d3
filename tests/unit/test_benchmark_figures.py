"""The benchmark's arithmetic: nearest-rank percentiles, CPU per report, and which targets a run met."""

import os
import subprocess
import sys

from benchmarks.pipeline.batch_phase import BatchResult
from benchmarks.pipeline.phases import PhaseResult
from benchmarks.pipeline.probes import Backlogs
from benchmarks.pipeline.stats import percentile, summary
from benchmarks.pipeline.system_cpu import tree_cpu_seconds
from benchmarks.pipeline.targets import targets


def test_percentiles_by_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 99), percentile(values, 100)) == (50, 99, 100)
    assert summary([3.0, 1.0, 2.0]) == {"count": 3, "p50": 2.0, "p99": 3.0, "max": 3.0}


def phase(to_deadline: tuple[float, float], through: float, peak_mb: float, cpu_seconds: float) -> PhaseResult:
    figures = {"count": 100, "p50": to_deadline[0], "p99": to_deadline[1], "max": to_deadline[1]}
    return PhaseResult(
        name="100/s",
        rate=100,
        sent=100,
        accepted=100,
        failures={},
        accept_ms=figures,
        to_assigned_ms=figures,
        to_deadline_ms=figures,
        accepted_per_second=100.0,
        pipeline_per_second=through,
        completed=100,
        elapsed=1.0,
        cpu_seconds={"intake": cpu_seconds / 2, "postgres": cpu_seconds / 2},
        peak_mb={"intake": peak_mb, "referral": 120.0},
        backlogs=Backlogs(),
    )


def batch(per_second: float, ceiling: float) -> BatchResult:
    return BatchResult(1000, per_second, 0, 1000, 100.0, ceiling, {"intake": 1.0})


def test_cpu_per_report_sums_every_part_of_the_system():
    assert phase((10, 50), 600, 150, cpu_seconds=0.25).cpu_ms_per_report == 2.5


def test_each_target_is_judged_on_its_own_figure():
    at_100, flat = phase((20, 80), 10, 150, cpu_seconds=0.5), phase((500, 900), 600, 210, cpu_seconds=9)
    engine, drain = {"lag": {"p99": 1500.0}, "pending": 1_000_000}, {"per_second": 6000.0}
    rows = targets({"intake": 0.01, "kafka": 0.02}, at_100, flat, batch(1200, 2000), engine, drain, [at_100, flat])
    assert [row.met for row in rows] == [False, True, True, True, True, False, False, False]
    assert [row.met for row in targets({"kafka": 0.01}, at_100, flat, batch(1200, 2500), engine, drain, [at_100])][
        3:7
    ] == [False, True, True, True]


def test_a_deadline_lag_measured_with_fewer_pending_than_the_target_names_is_not_met():
    at_100 = phase((20, 80), 600, 150, cpu_seconds=0.1)
    engine = {"lag": {"p99": 50.0}, "pending": 10_000}
    rows = targets({"kafka": 0.0}, at_100, at_100, batch(1200, 2000), engine, {"per_second": 1.0}, [at_100])
    assert rows[-1].met is False


def test_a_reaped_child_counts_in_its_parent_tree():
    before = tree_cpu_seconds(os.getpid(), {})
    subprocess.run([sys.executable, "-c", "sum(i * i for i in range(3_000_000))"], check=True)
    assert tree_cpu_seconds(os.getpid(), {}) - before >= 0.05
