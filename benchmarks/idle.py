"""CPU of a whole local system with no traffic: starts its own (./run --detach in .run/idle-benchmark), waits for
it to settle, prints each part's share of one core and the sum, and stops it. Asserts nothing.

    .venv/bin/python -m benchmarks.idle [--seconds 30]
"""

import argparse
import asyncio
import json
import shutil

from benchmarks.pipeline.quiet import idle_cpu
from benchmarks.pipeline.system_cpu import SystemCpu, system_pids
from deploy.local.detached import SERVICES, start_system
from deploy.local.process import REPO_ROOT


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.idle", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()
    state = REPO_ROOT / ".run" / "idle-benchmark"
    shutil.rmtree(state, ignore_errors=True)
    system = start_system(state)
    try:
        shares = asyncio.run(idle_cpu(SystemCpu(system_pids(state, SERVICES)), args.seconds))
        print(json.dumps({part: round(share, 4) for part, share in shares.items()}))
        print(f"whole system: {sum(shares.values()):.4f} of a core")
    finally:
        system.down()


if __name__ == "__main__":
    main()
