"""A whole local system for a benchmark or a fault script: `./run --detach` in its own state folder and on
free ports, and the means to stop, kill and start one service, the broker or the database."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from deploy.local.kafka import LocalKafka
from deploy.local.postgres import LocalPostgres
from deploy.local.process import REPO_ROOT, free_port

SERVICES = ("intake", "referral", "notification")


@dataclass
class DetachedSystem:
    state: Path
    environment: dict[str, str]
    urls: dict[str, str] = field(default_factory=dict)
    children: dict[str, subprocess.Popen] = field(default_factory=dict)

    def pid(self, service: str) -> int:
        return int((self.state / f"{service}.pid").read_text())

    def infra(self) -> dict[str, str]:
        lines = (self.state / "infra.env").read_text().splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)

    def stop_service(self, service: str) -> None:
        pid = self.pid(service)
        os.kill(pid, signal.SIGTERM)
        if not self._gone(service, pid, seconds=60):
            os.kill(pid, signal.SIGKILL)
            self._gone(service, pid, seconds=10)

    def kill_service(self, service: str) -> None:
        """kill -9: no shutdown code runs, as when the machine loses power under the process."""
        pid = self.pid(service)
        os.kill(pid, signal.SIGKILL)
        self._gone(service, pid, seconds=10)

    def _gone(self, service: str, pid: int, seconds: float) -> bool:
        child = self.children.get(service)
        if child is not None and child.pid == pid:  # started here: reap it, or it lingers as a zombie
            try:
                child.wait(timeout=seconds)
                return True
            except subprocess.TimeoutExpired:
                return False
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not Path(f"/proc/{pid}").exists():
                return True
            time.sleep(0.05)
        return False

    def kafka(self) -> LocalKafka:
        ports = self.environment
        return LocalKafka(
            self.state / "kafka",
            port=int(ports["RUN_KAFKA_PORT"]),
            controller_port=int(ports["RUN_KAFKA_CONTROLLER_PORT"]),
        )

    def postgres(self) -> LocalPostgres:
        return LocalPostgres(self.state / "postgres", port=int(self.environment["RUN_POSTGRES_PORT"]))

    def start_service(self, service: str) -> None:
        environment = self.environment | self.infra()
        with open(self.state / "logs" / f"{service}.log", "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", f"services.{service}"], cwd=REPO_ROOT, env=environment, stdout=log, stderr=log
            )
        self.children[service] = process
        (self.state / f"{service}.pid").write_text(str(process.pid))

    def wait_ready(self, service: str, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.urls[service]}/health/ready", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{service} was not ready after {seconds}s")

    def down(self) -> None:
        for service, child in self.children.items():  # started here: stopped and reaped here
            if child.poll() is None:
                self.stop_service(service)
        subprocess.run(["./run", "down"], cwd=REPO_ROOT, env=self.environment, capture_output=True, timeout=300)


def start_system(state: Path) -> DetachedSystem:
    environment = dict(os.environ) | {
        "RUN_STATE_DIR": str(state),
        "RUN_KAFKA_PORT": str(free_port()),
        "RUN_KAFKA_CONTROLLER_PORT": str(free_port()),
        "RUN_POSTGRES_PORT": str(free_port()),
        "RUN_MAIL_PORT": str(free_port()),
        "INTAKE_HTTP_PORT": str(free_port()),
        "REFERRAL_HTTP_PORT": str(free_port()),
        "NOTIFICATION_HTTP_PORT": str(free_port()),
    }
    environment |= {
        "NOTIFICATION_SMTP_HOST": "127.0.0.1",
        "NOTIFICATION_SMTP_PORT": environment["RUN_MAIL_PORT"],
    }
    system = DetachedSystem(state, environment)
    system.urls = {s: f"http://127.0.0.1:{environment[f'{s.upper()}_HTTP_PORT']}" for s in SERVICES}
    up = subprocess.run(["./run", "--detach"], cwd=REPO_ROOT, env=environment, capture_output=True, text=True)
    if up.returncode != 0:
        raise RuntimeError(f"./run --detach failed:\n{up.stdout}\n{up.stderr}")
    return system


@contextlib.contextmanager
def detached_system(state: Path) -> Iterator[DetachedSystem]:
    """A fresh system in `state` (emptied first), brought down afterwards whatever happens."""
    shutil.rmtree(state, ignore_errors=True)
    system = start_system(state)
    try:
        yield system
    finally:
        system.down()
