"""The benchmark's arithmetic: nearest-rank percentiles, and which targets a run met."""

from benchmarks.pipeline.phases import PhaseResult
from benchmarks.pipeline.probes import Backlogs
from benchmarks.pipeline.report import targets
from benchmarks.pipeline.stats import percentile, summary


def test_percentiles_by_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 99), percentile(values, 100)) == (50, 99, 100)
    assert summary([3.0, 1.0, 2.0]) == {"count": 3, "p50": 2.0, "p99": 3.0, "max": 3.0}


def phase(to_deadline_p99: float, through: float, peak_mb: float) -> PhaseResult:
    figures = {"count": 1, "p50": 1.0, "p99": to_deadline_p99, "max": to_deadline_p99}
    return PhaseResult(
        "100/s",
        100,
        1,
        1,
        {},
        figures,
        figures,
        figures,
        1.0,
        through,
        1,
        {"intake": 0.1},
        {"intake": peak_mb},
        Backlogs(),
    )


def test_each_target_is_judged_on_its_own_figure():
    at_100, flat = phase(80, 10, 150), phase(500, 1200, 210)
    engine, replay = {"lag": {"p99": 1500.0}}, {"per_second": 2500.0}
    rows = targets(at_100, flat, engine, replay, [at_100, flat])[2:]
    assert [row.rsplit("|", 2)[1].strip() for row in rows] == ["yes", "yes", "**no**", "yes", "**no**"]
