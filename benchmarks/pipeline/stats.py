"""Percentiles by nearest rank, and the usual summary of a list of latencies."""

import math


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "count": len(values),
        "p50": percentile(values, 50),
        "p99": percentile(values, 99),
        "max": max(values) if values else math.nan,
    }


def ratio(ours: float, ceiling: float) -> float:
    return ours / ceiling if ceiling else math.nan
