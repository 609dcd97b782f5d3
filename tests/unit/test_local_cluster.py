"""The local Kafka's configuration, one broker or a cluster, and the replication settings the services read."""

from pathlib import Path

import pytest

from deploy.local.kafka_cluster import LocalKafkaCluster, port_list
from shared.settings import ServiceSettings


def test_one_port_is_one_broker_as_before(tmp_path: Path):
    kafka = LocalKafkaCluster(tmp_path / "kafka", port_list("19092"), [19093])
    (node,) = kafka.nodes
    assert node.home == tmp_path / "kafka" and node.heap == "512m"
    assert "controller.quorum.voters=1@127.0.0.1:19093\n" in node.properties()
    assert "offsets.topic.replication.factor=1\n" in node.properties()
    assert kafka.settings() == {
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:19092",
        "TOPIC_REPLICATION_FACTOR": "1",
        "TOPIC_MIN_INSYNC_REPLICAS": "1",
    }


def test_three_ports_are_three_voters_of_one_cluster_that_keep_every_topic_on_all_three(tmp_path: Path):
    kafka = LocalKafkaCluster(tmp_path / "kafka", port_list("19092,19094,19096"), [19093, 19095, 19097])
    nodes = kafka.nodes
    assert [node.home.name for node in nodes] == ["node-1", "node-2", "node-3"]
    assert len({node.cluster_id for node in nodes}) == 1 and nodes[0].cluster_id == kafka.nodes[0].cluster_id
    for number, node in enumerate(nodes, 1):
        properties = node.properties()
        assert f"node.id={number}\n" in properties and node.heap == "256m"
        assert "controller.quorum.voters=1@127.0.0.1:19093,2@127.0.0.1:19095,3@127.0.0.1:19097\n" in properties
        for line in ("offsets.topic.replication.factor=3", "min.insync.replicas=2", "transaction.state.log.min.isr=2"):
            assert line + "\n" in properties
    assert kafka.node(2).port == 19094
    assert kafka.settings() == {
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:19092,127.0.0.1:19094,127.0.0.1:19096",
        "TOPIC_REPLICATION_FACTOR": "3",
        "TOPIC_MIN_INSYNC_REPLICAS": "2",
    }


def test_each_broker_needs_its_controller_port(tmp_path: Path):
    with pytest.raises(ValueError, match="controller port"):
        LocalKafkaCluster(tmp_path, [19092, 19094], [19093])


def test_the_replication_settings_have_no_service_prefix_and_default_to_one_broker(monkeypatch):
    class Settings(ServiceSettings, env_prefix="INTAKE_"):
        http_port: int = 8001

    monkeypatch.setenv("INTAKE_DATABASE_URL", "postgresql://localhost/intake")
    assert (Settings().topic_replication_factor, Settings().topic_min_insync_replicas) == (1, 1)
    monkeypatch.setenv("TOPIC_REPLICATION_FACTOR", "3")
    monkeypatch.setenv("TOPIC_MIN_INSYNC_REPLICAS", "2")
    assert (Settings().topic_replication_factor, Settings().topic_min_insync_replicas) == (3, 2)
