"""Faults during a steady stream of reports, on a local system of its own; prints the counts and writes
docs/RELIABILITY.md.

    .venv/bin/python -m reliability [--rate 5] [--seconds 20] [--output docs/RELIABILITY.md]
"""

import argparse
import asyncio
from pathlib import Path

from deploy.local.detached import detached_system
from deploy.local.process import REPO_ROOT
from reliability.faults import FAULTS
from reliability.report import render
from reliability.scenarios import Bounds, Outcome, run_scenario


async def run_all(state: Path, bounds: Bounds) -> list[Outcome]:
    with detached_system(state) as system:
        outcomes = []
        for seed, fault in enumerate(FAULTS):
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
    args = parser.parse_args()
    bounds = Bounds(rate=args.rate, seconds=args.seconds)
    outcomes = asyncio.run(run_all(REPO_ROOT / ".run" / "reliability", bounds))
    args.output.write_text(render(outcomes, bounds, "python -m reliability"))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
