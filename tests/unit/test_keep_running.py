"""A service's lifelong loops are started again if they fail, and stop only when cancelled."""

import asyncio
import logging

import pytest

from shared.runtime import keep_running


async def test_a_loop_that_fails_is_started_again_and_the_failure_is_named(caplog):
    runs = []

    async def work() -> None:
        runs.append(len(runs))
        if len(runs) < 3:
            raise RuntimeError("secret detail 13912345678")

    with caplog.at_level(logging.ERROR):
        await asyncio.wait_for(keep_running(work, "dispatcher", pause=0), 5)
    assert runs == [0, 1, 2]
    assert [r.getMessage() for r in caplog.records] == ["dispatcher stopped on RuntimeError; starting it again"] * 2


async def test_cancelling_stops_it():
    started = asyncio.Event()

    async def forever() -> None:
        started.set()
        await asyncio.sleep(3600)

    task = asyncio.create_task(keep_running(forever, "scheduler"))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
