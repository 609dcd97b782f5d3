"""A whole local system for a benchmark or a fault script: `./run --detach` in its own state folder and on
free ports, and the means to stop, kill and start one service, the broker or the database. A cluster is the
same with several Kafka brokers and further instances of each service, in the same consumer groups."""

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

from deploy.local.kafka_cluster import LocalKafkaCluster, port_list
from deploy.local.postgres import LocalPostgres
from deploy.local.process import REPO_ROOT, free_port, free_ports

SERVICES = ("intake", "referral", "notification")


@dataclass
class DetachedSystem:
    state: Path
    environment: dict[str, str]
    urls: dict[str, str] = field(default_factory=dict)
    children: dict[str, subprocess.Popen] = field(default_factory=dict)
    instances: dict[str, str] = field(default_factory=dict)  # a further instance's name: its service
    own_environment: dict[str, dict[str, str]] = field(default_factory=dict)  # an instance's own port

    def instances_of(self, service: str) -> list[str]:
        """The names of the service's running instances: the service's own name, then `<service>-2`..."""
        return [service, *(name for name, of in self.instances.items() if of == service)]

    def add_instance(self, service: str) -> str:
        """Starts one more instance of `service` on a port of its own; it reads in the service's consumer
        groups and writes to its database, as the first does."""
        name = f"{service}-{len(self.instances_of(service)) + 1}"
        port = free_port()
        self.instances[name] = service
        self.own_environment[name] = {f"{service.upper()}_HTTP_PORT": str(port)}
        self.urls[name] = f"http://127.0.0.1:{port}"
        self.start_service(name)
        return name

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

    def kafka(self) -> LocalKafkaCluster:
        ports = self.environment
        return LocalKafkaCluster(
            self.state / "kafka", port_list(ports["RUN_KAFKA_PORT"]), port_list(ports["RUN_KAFKA_CONTROLLER_PORT"])
        )

    def postgres(self) -> LocalPostgres:
        return LocalPostgres(self.state / "postgres", port=int(self.environment["RUN_POSTGRES_PORT"]))

    def start_service(self, service: str) -> None:
        """Starts the service, or one of its further instances by name."""
        environment = self.environment | self.infra() | self.own_environment.get(service, {})
        module = f"services.{self.instances.get(service, service)}"
        with open(self.state / "logs" / f"{service}.log", "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", module], cwd=REPO_ROOT, env=environment, stdout=log, stderr=log
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


START_ATTEMPTS = 2  # a port picked as free can be taken before the broker binds it: start once more


def start_system(state: Path, brokers: int = 1) -> DetachedSystem:
    for attempt in range(1, START_ATTEMPTS + 1):
        system = _system_on_free_ports(state, brokers)
        command = ["./run", "--detach"]
        up = subprocess.run(command, cwd=REPO_ROOT, env=system.environment, capture_output=True, text=True)
        if up.returncode == 0:
            return system
        if attempt == START_ATTEMPTS:
            raise RuntimeError(f"./run --detach failed:\n{up.stdout}\n{up.stderr}")
        print(f"./run --detach failed (attempt {attempt}); starting again on other ports", flush=True)
        system.down()
        shutil.rmtree(state, ignore_errors=True)
    raise AssertionError("unreachable")


def _system_on_free_ports(state: Path, brokers: int) -> DetachedSystem:
    *brokers_and_controllers, postgres, mail, intake, referral, notification = free_ports(2 * brokers + 5)
    kafka, controllers = brokers_and_controllers[:brokers], brokers_and_controllers[brokers:]
    environment = dict(os.environ) | {
        "RUN_STATE_DIR": str(state),
        "RUN_KAFKA_PORT": ",".join(map(str, kafka)),
        "RUN_KAFKA_CONTROLLER_PORT": ",".join(map(str, controllers)),
        "RUN_POSTGRES_PORT": str(postgres),
        "RUN_MAIL_PORT": str(mail),
        "INTAKE_HTTP_PORT": str(intake),
        "REFERRAL_HTTP_PORT": str(referral),
        "NOTIFICATION_HTTP_PORT": str(notification),
        "NOTIFICATION_SMTP_HOST": "127.0.0.1",
        "NOTIFICATION_SMTP_PORT": str(mail),
        "RUN_TRACES": "0",  # the benchmarks and fault scripts measure the services as they run untraced
        "RUN_KEYCLOAK": "0",  # the services do not sign in through Keycloak yet; its start would cost minutes
    }
    system = DetachedSystem(state, environment)
    system.urls = {s: f"http://127.0.0.1:{environment[f'{s.upper()}_HTTP_PORT']}" for s in SERVICES}
    return system


@contextlib.contextmanager
def detached_system(state: Path, brokers: int = 1, instances: int = 1) -> Iterator[DetachedSystem]:
    """A fresh system in `state` (emptied first), brought down afterwards whatever happens: `brokers` Kafka
    brokers, and `instances` of each service."""
    shutil.rmtree(state, ignore_errors=True)
    system = start_system(state, brokers)
    try:
        for service in SERVICES:
            for _ in range(instances - 1):
                system.add_instance(service)
        for name in system.instances:
            system.wait_ready(name)
        yield system
    finally:
        system.down()
