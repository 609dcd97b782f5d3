"""The cluster faults of `python -m reliability`, smaller, on a cluster of its own (three Kafka brokers, two
instances of each service): a broker killed with kill -9, then one instance of each service, under the stream
of reports; nothing accepted is lost or duplicated."""

from collections.abc import Iterator

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from deploy.local.detached import DetachedSystem
from reliability.faults import CLUSTER, CLUSTER_FAULTS
from reliability.report import render
from reliability.scenarios import Outcome, run_scenario
from shared.topics import ALL_TOPICS, dead_letter_topic
from tests.faults.systems import BOUNDS, assert_nothing_lost_or_duplicated, fault_system

OUTCOMES: list[Outcome] = []


@pytest.fixture(scope="module")
def cluster() -> Iterator[DetachedSystem]:
    report = lambda: render([], BOUNDS, "./test tests/faults", OUTCOMES)  # noqa: E731
    with fault_system("cluster-faults", "RELIABILITY-cluster.md", report, **CLUSTER) as running:
        yield running


async def test_every_topic_is_on_the_three_brokers_and_takes_writes_only_while_two_are_in_sync(cluster):
    names = [*(name for topic in ALL_TOPICS for name in (topic, dead_letter_topic(topic))), "__consumer_offsets"]
    admin = AIOKafkaAdminClient(bootstrap_servers=cluster.kafka().bootstrap_servers)
    await admin.start()
    try:
        described = await admin.describe_topics(names)
        wanted = {"min.insync.replicas": None}
        configs = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, n, wanted) for n in names])
    finally:
        await admin.close()
    replicas = {topic["topic"]: {len(p["replicas"]) for p in topic["partitions"]} for topic in described}
    assert replicas == {name: {3} for name in names}
    min_insync = {resource[3]: resource[4][0][1] for response in configs for resource in response.resources}
    assert min_insync == {name: "2" for name in names}


@pytest.mark.parametrize("fault", CLUSTER_FAULTS, ids=[fault.name for fault in CLUSTER_FAULTS])
async def test_nothing_accepted_is_lost_or_duplicated(cluster, fault):
    outcome = await run_scenario(cluster, fault, BOUNDS, seed=CLUSTER_FAULTS.index(fault))
    OUTCOMES.append(outcome)
    assert_nothing_lost_or_duplicated(outcome)
