"""A single-node Apache Kafka broker (KRaft, combined broker and controller) run as a plain Java process."""

import base64
import os
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from deploy.local.process import REPO_ROOT, port_open, read_pid, stop_pid, wait_until

SERVER_PROPERTIES = """\
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:{controller_port}
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}
advertised.listeners=PLAINTEXT://127.0.0.1:{port}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs={log_dirs}
num.partitions=6
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
default.replication.factor=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
"""


@dataclass
class LocalKafka:
    home: Path
    port: int = 19092
    controller_port: int = 19093
    heap: str = "512m"

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.home / "kafka.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "server.log"

    def start(self, timeout: float = 120) -> str:
        if read_pid(self.pid_file) and port_open(self.port):
            return self.bootstrap_servers
        libs = fetch_kafka_libs()
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        properties = self._write_properties()
        self._format_storage(libs, properties)
        self.log_file.unlink(missing_ok=True)
        with open(self.home / "logs" / "stdout.log", "ab") as out:
            process = subprocess.Popen(
                [*self._java(libs), "kafka.Kafka", str(properties)],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.pid_file.write_text(str(process.pid))
        wait_until(
            lambda: process.poll() is None and self._started(),
            timeout,
            f"Kafka on port {self.port} (log: {self.log_file})",
            gave_up=lambda: process.poll() is not None,
        )
        return self.bootstrap_servers

    def stop(self, timeout: float = 60) -> None:
        stop_pid(self.pid_file, timeout)

    def _started(self) -> bool:
        if not self.log_file.exists() or not port_open(self.port):
            return False
        return "Kafka Server started" in self.log_file.read_text(errors="replace")

    def _write_properties(self) -> Path:
        path = self.home / "server.properties"
        path.write_text(
            SERVER_PROPERTIES.format(
                port=self.port,
                controller_port=self.controller_port,
                log_dirs=self.home / "data",
            )
        )
        return path

    def _format_storage(self, libs: Path, properties: Path) -> None:
        if (self.home / "data" / "meta.properties").exists():
            return
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        subprocess.run(
            [
                *self._java(libs),
                "kafka.tools.StorageTool",
                "format",
                "--ignore-formatted",
                f"--cluster-id={cluster_id}",
                "--config",
                str(properties),
            ],
            check=True,
            capture_output=True,
        )

    def _java(self, libs: Path) -> list[str]:
        return [
            os.environ.get("JAVA", "java"),
            f"-Xmx{self.heap}",
            "-Xms128m",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dkafka.logs.dir={self.home / 'logs'}",
            f"-Dlog4j.configuration=file:{REPO_ROOT / 'deploy/kafka/log4j.properties'}",
            "-cp",
            f"{libs}/*",
        ]


def fetch_kafka_libs() -> Path:
    script = REPO_ROOT / "deploy/local/fetch-kafka.sh"
    result = subprocess.run(["bash", str(script)], check=True, stdout=subprocess.PIPE, text=True)
    return Path(result.stdout.strip().splitlines()[-1])
