"""The share of stages met on time over a period, and how it moved from the period before: the committee's
headline figure. A stage counts in the period it was decided in (met, or its deadline passed unmet)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class OnTime:
    on_time: int
    late: int

    @property
    def rate(self) -> float | None:
        """None while nothing was decided, rather than a misleading 0%."""
        decided = self.on_time + self.late
        return self.on_time / decided if decided else None

    def __sub__(self, other: "OnTime") -> "OnTime":
        return OnTime(self.on_time - other.on_time, self.late - other.late)


def change(now: OnTime, before: OnTime) -> float | None:
    """The rate now less the rate before (0.05: five points better); None when either has nothing decided."""
    if now.rate is None or before.rate is None:
        return None
    return now.rate - before.rate
