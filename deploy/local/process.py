"""Small process helpers shared by the local Kafka and PostgreSQL launchers."""

import contextlib
import os
import signal
import socket
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """Ports free now and different from each other (each socket is held until all are picked)."""
    with contextlib.ExitStack() as held:
        ports = []
        for _ in range(count):
            sock = held.enter_context(socket.socket())
            sock.bind(("127.0.0.1", 0))
            ports.append(sock.getsockname()[1])
        return ports


def read_pid(pid_file: Path) -> int | None:
    """The pid in the file if that process is still alive."""
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return None if _exited(pid) else pid


def stop_pid(pid_file: Path, timeout: float) -> None:
    pid = read_pid(pid_file)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        with contextlib.suppress(TimeoutError):
            wait_until(lambda: _exited(pid), timeout, f"process {pid} to stop")
    kill_pid(pid_file)  # whatever did not stop in time


def kill_pid(pid_file: Path) -> None:
    """kill -9, then waits until the process is gone."""
    pid = read_pid(pid_file)
    if pid is not None:
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: _exited(pid), 10, f"process {pid} to die")
    pid_file.unlink(missing_ok=True)


def _exited(pid: int) -> bool:
    """True once the process is gone; reaps it first when it is our own child."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return _is_zombie(pid)  # exited, waiting for a parent elsewhere to reap it


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def wait_until(
    condition: Callable[[], bool],
    timeout: float,
    what: str,
    gave_up: Callable[[], bool] = lambda: False,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if gave_up():
            raise RuntimeError(f"gave up waiting for {what}: the process exited")
        time.sleep(0.25)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
