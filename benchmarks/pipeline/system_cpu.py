"""CPU time of every process of the system, each counted with all its descendants: the three services,
PostgreSQL (the postmaster and its backends), Kafka and the mail catcher. A backend that ended is in its
parent's children's time (cutime, cstime); the benchmark's own database connections are left out."""

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def _children_of() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def tree_cpu_seconds(root: int, children: dict[int, list[int]], left_out: Iterable[int] = ()) -> float:
    """User and system time of `root` and its live descendants, with the time of those already reaped."""
    skip, total, stack = set(left_out), 0.0, [root]
    while stack:
        pid = stack.pop()
        fields = _stat(pid)
        if pid in skip or fields is None:
            continue
        total += sum(int(value) for value in fields[11:15]) / TICKS  # utime, stime, cutime, cstime
        stack.extend(children.get(pid, ()))
    return total


def resident_mb(pid: int) -> float:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except FileNotFoundError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in lines if line.startswith("VmRSS:")), 0.0)


def system_pids(state: Path, services: Iterable[str]) -> dict[str, int]:
    """The root process of each part of a system started by ./run in `state`."""
    pids = {service: int((state / f"{service}.pid").read_text()) for service in services}
    pids["postgres"] = int((state / "postgres" / "data" / "postmaster.pid").read_text().split()[0])
    pids["kafka"] = int((state / "kafka" / "kafka.pid").read_text())
    pids["mail"] = int((state / "mail.pid").read_text())
    return pids


@dataclass
class SystemCpu:
    """CPU seconds of each part over an interval; `left_out` are the benchmark's own database backends."""

    pids: dict[str, int]
    left_out: set[int] = field(default_factory=set)
    start: dict[str, float] = field(default_factory=dict)

    def now(self) -> dict[str, float]:
        children = _children_of()
        return {name: tree_cpu_seconds(pid, children, self.left_out) for name, pid in self.pids.items()}

    def begin(self) -> None:
        self.start = self.now()

    def seconds_since_begin(self) -> dict[str, float]:
        return {name: used - self.start[name] for name, used in self.now().items()}
