"""Kafka plumbing common to the services: the FastStream broker and topic creation."""

import contextlib
import logging

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream.kafka import KafkaBroker

from shared.kafka_connection import KafkaTarget, kafka_connection
from shared.topics import dead_letter_topic

log = logging.getLogger(__name__)
DEAD_LETTERS = dead_letter_topic("")  # the suffix of every dead-letter topic
DAY_MS = 24 * 3600 * 1000


def create_broker(kafka: KafkaTarget, client_id: str, graceful_timeout: float = 10.0) -> KafkaBroker:
    connection = kafka_connection(kafka)
    return KafkaBroker(
        connection.bootstrap_servers.split(","),  # FastStream takes a string as one address
        security=connection.broker_security(),
        client_id=client_id,
        enable_idempotence=True,
        graceful_timeout=graceful_timeout,
        logger=logging.getLogger("faststream.access.kafka"),  # its own would add a colourised handler
    )


async def ensure_topics(
    kafka: KafkaTarget,
    names: list[str],
    partitions: int,
    compacted: frozenset[str] = frozenset(),
    replication: int = 1,
    min_insync: int = 1,
    dead_letter_days: int = 90,
) -> None:
    """Creates the topics that do not exist yet; the broker does not create topics on its own. A compacted
    topic keeps the latest message of each key for good; a dead-letter topic its letters for `dead_letter_days`
    (an existing topic keeps what it has). A write (acks=all) is acknowledged once every copy in
    sync holds it, and refused while fewer than `min_insync` of the `replication` copies are in sync."""
    admin = AIOKafkaAdminClient(**kafka_connection(kafka).client_options())
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(
                name,
                partitions,
                replication,
                topic_configs={"min.insync.replicas": str(min_insync)}
                | ({"cleanup.policy": "compact"} if name in compacted else {})
                | ({"retention.ms": str(dead_letter_days * DAY_MS)} if name.endswith(DEAD_LETTERS) else {}),
            )
            for name in names
            if name not in existing
        ]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another service was first
                await admin.create_topics(missing)
    finally:
        await admin.close()
