"""An Apache Kafka node (KRaft, combined broker and controller) run as a plain Java process: alone, or one of
the voters of a small cluster (`deploy/local/kafka_cluster.py`)."""

import base64
import os
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from deploy.local.kafka_sasl import SaslSslListener
from deploy.local.process import REPO_ROOT, kill_pid, port_open, read_pid, stop_pid, wait_until

SERVER_PROPERTIES = """\
process.roles=broker,controller
node.id={node_id}
controller.quorum.voters={voters}
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}
advertised.listeners=PLAINTEXT://127.0.0.1:{port}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs={log_dirs}
num.partitions=6
auto.create.topics.enable=false
offsets.topic.replication.factor={replication}
offsets.topic.num.partitions=6
transaction.state.log.replication.factor={replication}
transaction.state.log.min.isr={min_insync}
min.insync.replicas={min_insync}
default.replication.factor={replication}
unclean.leader.election.enable=false
group.initial.rebalance.delay.ms=0
metadata.max.idle.interval.ms=5000
log.retention.hours=168
# The compacted topics are small; the default 128 MiB of the cleaner's map would not fit a small heap.
log.cleaner.dedupe.buffer.size=33554432
"""


@dataclass
class LocalKafka:
    home: Path
    port: int = 19092
    controller_port: int = 19093
    heap: str = "512m"
    node_id: int = 1
    voters: str = ""  # the cluster's `id@host:controller_port` list; none: this node alone
    replication: int = 1  # of the internal topics, and the default of the others
    min_insync: int = 1
    cluster_id: str = ""  # every node of a cluster is formatted with the same one; none: a new one
    sasl_ssl: SaslSslListener | None = None  # a TLS listener with SCRAM users too

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
        self.launch()
        self.wait_started(timeout)
        return self.bootstrap_servers

    def launch(self) -> None:
        """Starts the process without waiting: a cluster's nodes start together, as none is up without a quorum."""
        if self.running():
            return
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

    def wait_started(self, timeout: float = 120) -> None:
        wait_until(
            self._started,
            timeout,
            f"Kafka on port {self.port} (log: {self.log_file})",
            gave_up=lambda: read_pid(self.pid_file) is None,
        )

    def running(self) -> bool:
        return read_pid(self.pid_file) is not None and port_open(self.port)

    def stop(self, timeout: float = 60) -> None:
        stop_pid(self.pid_file, timeout)

    def kill(self) -> None:
        """kill -9: the broker gets no chance to hand over its partitions or flush its logs."""
        kill_pid(self.pid_file)

    def _started(self) -> bool:
        if not self.log_file.exists() or not port_open(self.port):
            return False
        return "Kafka Server started" in self.log_file.read_text(errors="replace")

    def properties(self) -> str:
        plain = SERVER_PROPERTIES.format(
            port=self.port,
            controller_port=self.controller_port,
            node_id=self.node_id,
            voters=self.voters or f"{self.node_id}@127.0.0.1:{self.controller_port}",
            log_dirs=self.home / "data",
            replication=self.replication,
            min_insync=self.min_insync,
        )
        return self.sasl_ssl.applied_to(plain, self.port) if self.sasl_ssl else plain

    def _write_properties(self) -> Path:
        path = self.home / "server.properties"
        path.write_text(self.properties())
        return path

    def _format_storage(self, libs: Path, properties: Path) -> None:
        if (self.home / "data" / "meta.properties").exists():
            return
        cluster_id = self.cluster_id or new_cluster_id()
        subprocess.run(
            [
                *self._java(libs),
                "kafka.tools.StorageTool",
                "format",
                "--ignore-formatted",
                f"--cluster-id={cluster_id}",
                "--config",
                str(properties),
                *(self.sasl_ssl.format_arguments() if self.sasl_ssl else []),
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


def new_cluster_id() -> str:
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


def fetch_kafka_libs() -> Path:
    script = REPO_ROOT / "deploy/local/fetch-kafka.sh"
    result = subprocess.run(["bash", str(script)], check=True, stdout=subprocess.PIPE, text=True)
    return Path(result.stdout.strip().splitlines()[-1])
