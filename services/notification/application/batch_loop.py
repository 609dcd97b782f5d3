"""The loop of the background workers (timer firing, delivery): a full batch is followed by the next at once,
a smaller one by a short pause; an outage of the database is waited out."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from shared.outages import OUTAGES

log = logging.getLogger(__name__)


async def repeat_in_batches(step: Callable[[], Awaitable[int]], batch: int, idle_seconds: float, name: str) -> None:
    """Runs `step` (which returns how much it did, at most `batch`) for ever."""
    while True:
        try:
            if await step() == batch:
                continue
        except OUTAGES as error:
            log.warning("%s: outage (%s); trying again", name, type(error).__name__)
        await asyncio.sleep(idle_seconds)
