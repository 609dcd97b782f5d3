"""Reports sent to intake over HTTP: open loop at a fixed rate (a request leaves on schedule whether or
not earlier ones have been answered), or closed loop as fast as a fixed number of senders can. aiohttp,
because at hundreds of requests a second httpx's connection pool costs more than intake itself."""

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

import aiohttp

# A P2 neglect report about a child with no name or ID number, so that no two reports are linked.
REPORT = {
    "child": {"division_code": "140724104", "age": 9},
    "concerns": ["neglect"],
    "narrative": "孩子父母外出务工，长期独自在家，无人照看。邻居反映孩子经常没有饭吃，晚上一个人在家。",
}


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    report_ids: list[str] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def sent(self) -> int:
        return len(self.report_ids) + sum(self.failures.values())


async def _send(client: aiohttp.ClientSession, result: LoadResult) -> None:
    started = time.perf_counter()
    try:
        async with client.post("/v1/reports", json=REPORT) as response:
            answer = await response.json() if response.status == 201 else None
            status = response.status
    except (aiohttp.ClientError, TimeoutError) as error:
        result.failures[type(error).__name__] += 1
        return
    if answer is not None:
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        result.report_ids.append(answer["report_id"])
    else:
        result.failures[f"http_{status}"] += 1


async def at_rate(client: aiohttp.ClientSession, rate: float, seconds: float) -> LoadResult:
    result, tasks = LoadResult(), []
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(_send(client, result)))
    await asyncio.gather(*tasks)
    result.seconds = time.perf_counter() - start
    return result


async def flat_out(client: aiohttp.ClientSession, seconds: float, senders: int = 64) -> LoadResult:
    result = LoadResult()
    start = time.perf_counter()
    stop = start + seconds

    async def sender() -> None:
        while time.perf_counter() < stop:
            await _send(client, result)

    await asyncio.gather(*(sender() for _ in range(senders)))
    result.seconds = time.perf_counter() - start
    return result


def client_for(intake_url: str, token: str) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        base_url=intake_url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=aiohttp.ClientTimeout(total=60),
        connector=aiohttp.TCPConnector(limit=256),
    )
