"""The local Kafka: one node, or a cluster of a few, each node broker and controller with its own ports and
folder, the voters fixed in every node's configuration. A cluster keeps each topic on up to three nodes and
takes a write only while all but one of them are in sync: it carries on with one node down, and what it
acknowledged is on two nodes at least."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from deploy.local.kafka import LocalKafka, new_cluster_id

CLUSTER_HEAP = "256m"  # each of several brokers on a small machine: the services need the memory more


@dataclass
class LocalKafkaCluster:
    home: Path
    ports: list[int]
    controller_ports: list[int]

    def __post_init__(self) -> None:
        if len(self.ports) != len(self.controller_ports):
            raise ValueError("give one controller port for each Kafka port")

    @property
    def replication(self) -> int:
        return min(len(self.ports), 3)

    @property
    def min_insync(self) -> int:
        return max(self.replication - 1, 1)

    @property
    def nodes(self) -> list[LocalKafka]:
        if len(self.ports) == 1:
            return [LocalKafka(self.home, port=self.ports[0], controller_port=self.controller_ports[0])]
        voters = ",".join(f"{node}@127.0.0.1:{port}" for node, port in enumerate(self.controller_ports, 1))
        cluster_id = self._cluster_id()
        return [
            LocalKafka(
                self.home / f"node-{node}",
                port=port,
                controller_port=controller_port,
                heap=CLUSTER_HEAP,
                node_id=node,
                voters=voters,
                replication=self.replication,
                min_insync=self.min_insync,
                cluster_id=cluster_id,
            )
            for node, (port, controller_port) in enumerate(zip(self.ports, self.controller_ports, strict=True), 1)
        ]

    def node(self, number: int) -> LocalKafka:
        """Node `number`, counted from 1."""
        return self.nodes[number - 1]

    @property
    def bootstrap_servers(self) -> str:
        return ",".join(node.bootstrap_servers for node in self.nodes)

    def settings(self) -> dict[str, str]:
        """What the services need to know of the cluster: where it is, and how to replicate their topics."""
        return {
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
            "TOPIC_REPLICATION_FACTOR": str(self.replication),
            "TOPIC_MIN_INSYNC_REPLICAS": str(self.min_insync),
        }

    def start(self, timeout: float = 180) -> str:
        nodes = self.nodes
        for node in nodes:  # all at once: no node serves before a majority of the voters is up
            node.launch()
        for node in nodes:
            node.wait_started(timeout)
        return self.bootstrap_servers

    def stop(self) -> None:
        """Stops every node that runs from this folder, whichever ports it was started with. All at once: a node
        left last, without a majority of the voters, would wait out its whole timeout."""
        homes = [self.home, *sorted(self.home.glob("node-*"))]
        with ThreadPoolExecutor() as pool:
            list(pool.map(lambda home: LocalKafka(home).stop(), homes))

    def _cluster_id(self) -> str:
        path = self.home / "cluster-id"
        if not path.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            path.write_text(new_cluster_id())
        return path.read_text().strip()


def port_list(text: str) -> list[int]:
    """`19092` or `19092,19094,19096`: one port per node."""
    return [int(port) for port in text.split(",") if port.strip()]
