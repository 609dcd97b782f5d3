"""At most so many tries per key (a client's address, a receipt) within a moving window. Pure: the caller
gives the time. Kept per process: each instance of a service limits what reaches it."""

import math
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

FORGET_AFTER_KEYS = 10_000  # past this many keys, those gone quiet are forgotten


@dataclass
class RateLimit:
    limit: int
    window: timedelta
    tries: dict[str, deque[datetime]] = field(default_factory=dict)

    def allow(self, key: str, now: datetime) -> bool:
        """Counts a try, unless the key has used up the window."""
        if self.full(key, now):
            return False
        self.note(key, now)
        return True

    def full(self, key: str, now: datetime) -> bool:
        recent = self.tries.get(key)
        if not recent:
            return False
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        return len(recent) >= self.limit

    def note(self, key: str, now: datetime) -> None:
        self.tries.setdefault(key, deque()).append(now)
        if len(self.tries) > FORGET_AFTER_KEYS:
            self.tries = {k: v for k, v in self.tries.items() if v and v[-1] > now - self.window}

    def retry_after(self, key: str, now: datetime) -> int:
        """Whole seconds until the key's oldest try leaves the window (at least 1)."""
        recent = self.tries.get(key)
        if not recent:
            return 1
        return max(1, math.ceil((recent[0] + self.window - now).total_seconds()))
