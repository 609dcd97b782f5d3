"""The faults tried: each breaks one part of a running local system and later mends it."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient

from deploy.local.detached import SERVICES, DetachedSystem
from shared.kafka_connection import kafka_connection


@dataclass(frozen=True)
class Fault:
    name: str
    inject: Callable[[DetachedSystem], None]
    mend: Callable[[DetachedSystem], None]


def _kill(instance: str, name: str | None = None) -> Fault:
    def mend(system: DetachedSystem) -> None:
        system.start_service(instance)
        system.wait_ready(instance)

    return Fault(name or f"kill -9 {instance}", lambda system: system.kill_service(instance), mend)


KAFKA_RESTART = Fault(
    "stop and restart Kafka",
    lambda system: system.kafka().stop(),
    lambda system: system.kafka().start(),
)

POSTGRES_RESTART = Fault(
    "stop and restart PostgreSQL",
    lambda system: system.postgres().stop(),
    lambda system: system.postgres().start(),
)

FAULTS = (*(_kill(service) for service in SERVICES), KAFKA_RESTART, POSTGRES_RESTART)


def _kill_a_broker() -> Fault:
    """Strikes where it hurts most: the broker that coordinates referral's consumer group (its offsets), which
    also leads about a third of every topic's partitions."""
    struck: list[int] = []

    def inject(system: DetachedSystem) -> None:
        struck[:] = [asyncio.run(_coordinator(system.kafka().bootstrap_servers, "referral"))]
        system.kafka().node(struck[0]).kill()

    def mend(system: DetachedSystem) -> None:
        system.kafka().node(struck[0]).start()

    return Fault("kill -9 one Kafka broker of three (referral's group coordinator)", inject, mend)


async def _coordinator(bootstrap: str, group: str) -> int:
    admin = AIOKafkaAdminClient(**kafka_connection(bootstrap).client_options())
    await admin.start()
    try:
        return await admin.find_coordinator(group)
    finally:
        await admin.close()


# On a cluster of three brokers and two instances of each service.
CLUSTER = {"brokers": 3, "instances": 2}
CLUSTER_FAULTS = (
    _kill_a_broker(),
    *(_kill(service, f"kill -9 one {service} of two") for service in SERVICES),
)
