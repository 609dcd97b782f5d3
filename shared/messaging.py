"""Kafka plumbing common to the services: the FastStream broker and topic creation."""

import contextlib
import logging

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream.kafka import KafkaBroker

log = logging.getLogger(__name__)


def create_broker(bootstrap_servers: str, client_id: str, graceful_timeout: float = 10.0) -> KafkaBroker:
    return KafkaBroker(
        bootstrap_servers,
        client_id=client_id,
        enable_idempotence=True,
        graceful_timeout=graceful_timeout,
    )


async def ensure_topics(
    bootstrap_servers: str, names: list[str], partitions: int, compacted: frozenset[str] = frozenset()
) -> None:
    """Creates the topics that do not exist yet; the broker does not create topics on its own. A compacted
    topic keeps the latest message of each key for good."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(name, partitions, 1, topic_configs={"cleanup.policy": "compact"} if name in compacted else None)
            for name in names
            if name not in existing
        ]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another service was first
                await admin.create_topics(missing)
    finally:
        await admin.close()
