"""How fast the address resolver is, after warm-up, on addresses of every shape drawn from the real
national data. Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.resolver [--addresses 20000]
"""

import argparse
import random
import resource
import statistics
import subprocess
import time
from collections import defaultdict
from pathlib import Path

from services.referral.adapters.division_loading import ALIASES_CSV
from services.referral.adapters.gazetteer_sources import gazetteer_from_package
from services.referral.domain.gazetteer import Gazetteer
from services.referral.domain.resolver import resolve

REPO_ROOT = Path(__file__).resolve().parents[1]


def sample_addresses(gazetteer: Gazetteer, count: int, seed: int = 2023) -> list[tuple[str, str]]:
    """(shape, address) pairs built from random townships and their villages."""
    rng = random.Random(seed)
    townships = [d.code for d in gazetteer.by_code.values() if d.level == "township"]
    shapes = {
        "full": lambda names, village: "".join(names) + "人民路12号",
        "no province": lambda names, village: "".join(names[1:]),
        "county and township": lambda names, village: "".join(names[-2:]) + "3组",
        "county and village": lambda names, village: names[-2] + village,
        "township only": lambda names, village: names[-1],
        "spaces and punctuation": lambda names, village: "， ".join(names) + "（" + village + "）",
        "garbage": lambda names, village: "".join(rng.choice("的一是在不了有和人这中大为上个国") for _ in range(12)),
    }
    addresses = []
    for _ in range(count):
        code = rng.choice(townships)
        names = [division.name for division in gazetteer.path(code) if division.name != "市辖区"]
        village = rng.choice(gazetteer.villages_of(code) or ["中心村"])
        shape = rng.choice(list(shapes))
        addresses.append((shape, shapes[shape](names, village)))
    return addresses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=20000)
    count = parser.parse_args().addresses
    dist = Path(
        subprocess.run(
            ["bash", str(REPO_ROOT / "deploy/local/fetch-divisions.sh")], check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    started = time.perf_counter()
    gazetteer = gazetteer_from_package(dist, ALIASES_CSV)
    built = time.perf_counter() - started
    addresses = sample_addresses(gazetteer, count)
    for _, address in addresses[:2000]:  # warm-up
        resolve(gazetteer, address)
    timings: dict[str, list[float]] = defaultdict(list)
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for shape, address in addresses:
        started = time.perf_counter()
        resolution = resolve(gazetteer, address)
        timings[shape].append((time.perf_counter() - started) * 1e6)
        outcomes[shape][resolution.outcome.value] += 1
    print(
        f"gazetteer: {len(gazetteer)} divisions, built in {built:.1f} s; "
        f"peak resident memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    print(f"{'shape':<24}{'n':>7}{'p50 µs':>9}{'p99 µs':>9}{'max µs':>9}  outcomes")
    everything = [value for values in timings.values() for value in values]
    for shape, values in [*sorted(timings.items()), ("all", everything)]:
        ordered = sorted(values)
        counts = ", ".join(f"{k} {v}" for k, v in sorted(outcomes[shape].items())) if shape != "all" else ""
        print(
            f"{shape:<24}{len(values):>7}{statistics.median(ordered):>9.0f}"
            f"{ordered[int(len(ordered) * 0.99) - 1]:>9.0f}{ordered[-1]:>9.0f}  {counts}"
        )


if __name__ == "__main__":
    main()
