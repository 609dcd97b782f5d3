"""The address resolver judged and timed on addresses of many shapes drawn from the national gazetteer:
for each shape how many resolved right (the township, or the county the address names), stopped at the
right county centre, went wrong (a place the address is not in: must stay 0), gave candidates or nothing;
then the time per address after warm-up. Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.resolver [--addresses 20000]
"""

import argparse
import gc
import resource
import subprocess
import time
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks.resolver_addresses import Sample, samples
from services.referral.adapters.division_loading import ALIASES_CSV
from services.referral.adapters.gazetteer_sources import gazetteer_from_package
from services.referral.domain.resolution import Outcome, Resolution
from services.referral.domain.resolver import resolve
from shared.domain.divisions import county_of

REPO_ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ("right", "county", "wrong", "candidates", "nothing")


def judged(sample: Sample, resolution: Resolution) -> str:
    if resolution.outcome is Outcome.AMBIGUOUS:
        return "candidates"
    if resolution.outcome is Outcome.UNRESOLVED:
        return "nothing"
    code = resolution.place.code if resolution.place else None
    if code == sample.truth:
        return "right"
    if sample.truth and resolution.outcome is Outcome.COUNTY and code == county_of(sample.truth):
        return "county"
    return "wrong"


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=20000)
    count = parser.parse_args().addresses
    script = REPO_ROOT / "deploy/local/fetch-divisions.sh"
    dist = Path(subprocess.run(["bash", str(script)], check=True, capture_output=True, text=True).stdout.strip())
    started = time.perf_counter()
    gazetteer = gazetteer_from_package(dist, ALIASES_CSV)
    built = time.perf_counter() - started
    addresses = samples(gazetteer, count)
    gc.collect()
    gc.freeze()  # as the service does: the gazetteer's millions of objects are no work for the collector
    for sample in addresses[:2000]:  # warm-up
        resolve(gazetteer, sample.address)
    timings: list[float] = []
    table: dict[str, Counter[str]] = defaultdict(Counter)
    wrong: list[tuple[Sample, Resolution]] = []
    for sample in addresses:
        started = time.perf_counter()
        resolution = resolve(gazetteer, sample.address)
        timings.append((time.perf_counter() - started) * 1e6)
        verdict = judged(sample, resolution)
        table[sample.shape][verdict] += 1
        table["all"][verdict] += 1
        if verdict == "wrong":
            wrong.append((sample, resolution))
    memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"gazetteer: {len(gazetteer)} divisions, built in {built:.1f} s; peak resident memory {memory:.0f} MB")
    print(f"{'shape':<32}{'n':>7}" + "".join(f"{column:>12}" for column in COLUMNS))
    for shape in [*sorted(set(table) - {"all"}), "all"]:
        row = table[shape]
        print(f"{shape:<32}{sum(row.values()):>7}" + "".join(f"{row[column]:>12}" for column in COLUMNS))
    ordered = sorted(timings)
    print(
        f"time per address: p50 {percentile(ordered, 0.5):.0f} µs, p99 {percentile(ordered, 0.99):.0f} µs, "
        f"max {ordered[-1]:.0f} µs"
    )
    for sample, resolution in wrong[:20]:
        truth = " / ".join(d.name for d in gazetteer.path(sample.truth)) if sample.truth else None
        print(f"wrong: {sample.shape}: {sample.address} ({truth}) -> {resolution.place and resolution.place.path}")


if __name__ == "__main__":
    main()
