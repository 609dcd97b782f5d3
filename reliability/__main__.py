"""Faults during a steady stream of reports, on a local system of its own (one broker, one instance of each
service), then on a cluster of its own (three brokers, two instances of each service); prints the counts and
writes docs/RELIABILITY.md.

    .venv/bin/python -m reliability [--rate 5] [--seconds 20] [--output docs/RELIABILITY.md] [--only cluster]
"""

import argparse
import asyncio
from pathlib import Path

from deploy.local.detached import detached_system
from deploy.local.process import REPO_ROOT
from reliability.faults import CLUSTER, CLUSTER_FAULTS, FAULTS, Fault
from reliability.report import render
from reliability.scenarios import Bounds, Outcome, run_scenario


async def run_all(state: Path, bounds: Bounds, faults: tuple[Fault, ...], **system_size: int) -> list[Outcome]:
    with detached_system(state, **system_size) as system:
        outcomes = []
        for seed, fault in enumerate(faults):
            print(f"{fault.name}: {bounds.rate:g} reports/s for {bounds.seconds:g} s", flush=True)
            outcome = await run_scenario(system, fault, bounds, seed)
            print(f"  {outcome.counted}", flush=True)
            outcomes.append(outcome)
        return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m reliability")
    parser.add_argument("--rate", type=float, default=Bounds.rate)
    parser.add_argument("--seconds", type=float, default=Bounds.seconds)
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "RELIABILITY.md")
    parser.add_argument("--only", choices=["machine", "cluster"], help="default: the one machine, then the cluster")
    args = parser.parse_args()
    bounds = Bounds(rate=args.rate, seconds=args.seconds)
    state = REPO_ROOT / ".run" / "reliability"
    machine = asyncio.run(run_all(state, bounds, FAULTS)) if args.only != "cluster" else []
    cluster = asyncio.run(run_all(state, bounds, CLUSTER_FAULTS, **CLUSTER)) if args.only != "machine" else []
    args.output.write_text(render(machine, bounds, "python -m reliability", cluster))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
