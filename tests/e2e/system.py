"""The three services as separate processes, the way they run in production, on the test infrastructure."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from deploy.local.process import REPO_ROOT, free_port
from tests.auth import CHILD_KEY_SECRET, ENCRYPTION_KEY, JWT_SECRET, WEBHOOK_SECRET

SERVICES = ("intake", "referral", "notification")


@dataclass
class RunningSystem:
    urls: dict[str, str]
    logs: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)  # every service's settings
    extras: dict[str, dict[str, str]] = field(default_factory=dict)  # what a service was last started with on top

    def launch(self, service: str, extra: dict[str, str] | None = None) -> None:
        """Starts one service with the system's settings (and `extra` on top), appending to its log."""
        self.extras[service] = extra or {}
        with open(self.logs / f"{service}.log", "ab") as log:
            self.processes[service] = subprocess.Popen(
                [sys.executable, "-m", f"services.{service}"],
                cwd=REPO_ROOT,
                env=self.environment | (extra or {}),
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def stop_service(self, service: str) -> None:
        self.processes[service].send_signal(signal.SIGTERM)
        self.processes[service].wait(timeout=30)

    def start_service(self, service: str, extra: dict[str, str] | None = None) -> None:
        """Starts a stopped service again, with `extra` settings on top of the system's, once it is ready."""
        self.launch(service, extra)
        _wait_ready(self, service)

    def restart(self, services: Sequence[str], extra: dict[str, str] | None = None) -> None:
        """Stops the services and starts them again side by side (with `extra` on top), once all are ready."""
        for service in services:
            self.stop_service(service)
        for service in services:
            self.launch(service, extra)
        for service in services:
            _wait_ready(self, service)

    def restore(self, service: str) -> None:
        """Runs the service with the system's own settings again, if it is stopped or runs with others."""
        if self.extras.get(service) or self.processes[service].poll() is not None:
            self.stop_service(service)
            self.start_service(service)

    def stop(self) -> None:
        for process in self.processes.values():
            process.send_signal(signal.SIGTERM)
        for name, process in self.processes.items():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                raise RuntimeError(f"{name} did not stop on SIGTERM") from None


def start_system(
    kafka: str, database_urls: dict[str, str], logs: Path, extra_environment: dict[str, str] | None = None
) -> RunningSystem:
    logs.mkdir(parents=True, exist_ok=True)
    run_id = uuid.uuid4().hex[:8]
    system = RunningSystem(urls={}, logs=logs)
    environment = dict(os.environ) | {
        "JWT_SECRET": JWT_SECRET,
        "INTAKE_ENCRYPTION_KEY": ENCRYPTION_KEY,
        "CHILD_KEY_SECRET": CHILD_KEY_SECRET,
        "NOTIFICATION_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    for service in SERVICES:
        port = free_port()
        prefix = service.upper()
        environment |= {
            f"{prefix}_KAFKA_BOOTSTRAP_SERVERS": kafka,
            f"{prefix}_DATABASE_URL": database_urls[service],
            f"{prefix}_HTTP_PORT": str(port),
            f"{prefix}_CONSUMER_GROUP": f"e2e-{service}-{run_id}",
            f"{prefix}_ENVIRONMENT": "development",  # trusts the development key the tests sign with
        }
        system.urls[service] = f"http://127.0.0.1:{port}"
    environment["INTAKE_REFERRAL_URL"] = system.urls["referral"]
    environment["REFERRAL_CORS_ORIGINS"] = json.dumps([system.urls["intake"]])
    environment["REFERRAL_NOTIFICATION_URL"] = system.urls["notification"]
    environment["NOTIFICATION_CORS_ORIGINS"] = json.dumps([system.urls["referral"]])
    environment["REFERRAL_INTAKE_URL"] = system.urls["intake"]
    environment["INTAKE_CORS_ORIGINS"] = json.dumps([system.urls["referral"]])
    environment |= extra_environment or {}
    _load_reference_data(environment)
    system.environment = environment
    for service in SERVICES:
        (logs / f"{service}.log").unlink(missing_ok=True)
        system.launch(service)
    try:
        for service in SERVICES:
            _wait_ready(system, service)
    except Exception:
        system.stop()
        raise
    return system


@contextlib.asynccontextmanager
async def system_for_tests(
    kafka: str, new_database: Callable[[str], Awaitable[str]], logs_name: str, extra: dict[str, str] | None = None
) -> AsyncIterator[RunningSystem]:
    """The three services on fresh databases, logging to test-artifacts/<logs_name>; stopped afterwards."""
    databases = {service: await new_database(service) for service in SERVICES}
    running = start_system(kafka, databases, REPO_ROOT / "test-artifacts" / logs_name, extra)
    try:
        yield running
    finally:
        running.stop()


def _load_reference_data(environment: dict[str, str]) -> None:
    """As ./run does: divisions, stations, village directors and committees are in place before the services start."""
    divisions = subprocess.run(
        ["bash", "deploy/local/fetch-divisions.sh"], cwd=REPO_ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    loaders = (
        ("referral.entrypoints.cli.load_divisions", divisions),
        ("intake.entrypoints.cli.load_divisions", divisions),
        ("referral.entrypoints.cli.import_stations", "reference/demo_stations.csv"),
        ("referral.entrypoints.cli.import_village_directors", "reference/demo_village_directors.csv"),
        ("notification.entrypoints.cli.import_committees", "reference/demo_committees.csv"),
    )
    for loader, argument in loaders:
        subprocess.run(
            [sys.executable, "-m", f"services.{loader}", argument],
            cwd=REPO_ROOT,
            env=environment,
            check=True,
            capture_output=True,
        )


def _wait_ready(system: RunningSystem, service: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if system.processes[service].poll() is not None:
            raise RuntimeError(f"{service} exited at start-up; see {system.logs / service}.log")
        try:
            if httpx.get(f"{system.urls[service]}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{service} was not ready after {timeout}s")
