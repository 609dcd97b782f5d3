"""The system with no traffic: every part's CPU as a share of one core, after it has settled."""

import asyncio

from benchmarks.pipeline.system_cpu import SystemCpu


async def idle_cpu(cpu: SystemCpu, seconds: float, settle: float = 20) -> dict[str, float]:
    await asyncio.sleep(settle)  # startup work (consumer groups joining, first metrics) is not idling
    cpu.begin()
    await asyncio.sleep(seconds)
    return {part: used / seconds for part, used in cpu.seconds_since_begin().items()}
