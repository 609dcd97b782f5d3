"""The faults tried: each breaks one part of a running local system and later mends it."""

from collections.abc import Callable
from dataclasses import dataclass

from deploy.local.detached import SERVICES, DetachedSystem


@dataclass(frozen=True)
class Fault:
    name: str
    inject: Callable[[DetachedSystem], None]
    mend: Callable[[DetachedSystem], None]


def _kill(service: str) -> Fault:
    def mend(system: DetachedSystem) -> None:
        system.start_service(service)
        system.wait_ready(service)

    return Fault(f"kill -9 {service}", lambda system: system.kill_service(service), mend)


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
