"""Where the tests get Kafka and PostgreSQL (and Keycloak, always from the local launcher), in this order:

1. addresses given in the environment (KAFKA_BOOTSTRAP_SERVERS, DATABASE_URL);
2. testcontainers, when a Docker engine answers;
3. the project's local launcher (deploy/local), which fetches and starts both as plain processes.

A broker or database that cannot be had raises: the run fails, it never skips.
"""

import asyncio
import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from deploy.local.kafka import LocalKafka
from deploy.local.keycloak import LocalKeycloak
from deploy.local.keycloak_demo import load_demo_users
from deploy.local.postgres import LocalPostgres
from deploy.local.process import REPO_ROOT, free_port, free_ports
from shared.database import ensure_database
from tests.artifacts import ARTIFACTS

KAFKA_IMAGE = "confluentinc/cp-kafka:7.9.0"  # Kafka 3.9, as the local launcher
POSTGRES_IMAGE = "postgres:15"


@dataclass(frozen=True)
class Infrastructure:
    kafka_bootstrap_servers: str
    database_url: str
    source: str


@contextlib.contextmanager
def provide_infrastructure() -> Iterator[Infrastructure]:
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    database = os.environ.get("DATABASE_URL")
    with contextlib.ExitStack() as stack:
        if kafka and database:
            source = "environment"
        elif docker_answers():
            source = "testcontainers"
            kafka = kafka or stack.enter_context(_kafka_container())
            database = database or stack.enter_context(_postgres_container())
        else:
            source = "local launcher"
            _remove_leftovers_of_dead_runs()
            state = REPO_ROOT / ".run" / f"tests-{os.getpid()}"
            stack.callback(shutil.rmtree, state, ignore_errors=True)
            kafka = kafka or stack.enter_context(_local_kafka(state / "kafka"))
            database = database or stack.enter_context(_local_postgres(state / "postgres"))
        yield Infrastructure(kafka, database, source)


def _remove_leftovers_of_dead_runs() -> None:
    """A test run that was killed leaves its broker, cluster and data behind; end them."""
    for state in (REPO_ROOT / ".run").glob("tests-*"):
        pid = int(state.name.removeprefix("tests-"))
        if pid == os.getpid() or Path(f"/proc/{pid}").exists():
            continue
        LocalKafka(state / "kafka").stop()
        LocalKeycloak(state / "keycloak").stop()
        LocalPostgres(state / "postgres").stop()
        shutil.rmtree(state, ignore_errors=True)


def docker_answers() -> bool:
    try:
        import docker

        docker.from_env().ping()
    except Exception:  # noqa: BLE001 - any failure means "no Docker engine here"
        return False
    return True


@contextlib.contextmanager
def _kafka_container() -> Iterator[str]:
    from testcontainers.community.kafka import KafkaContainer

    with KafkaContainer(KAFKA_IMAGE).with_kraft() as container:
        yield container.get_bootstrap_server()


@contextlib.contextmanager
def _postgres_container() -> Iterator[str]:
    from testcontainers.community.postgres import PostgresContainer

    with PostgresContainer(POSTGRES_IMAGE, driver=None) as container:
        yield container.get_connection_url()


@contextlib.contextmanager
def _local_kafka(home: Path) -> Iterator[str]:
    kafka = LocalKafka(home, port=free_port(), controller_port=free_port())
    try:
        yield kafka.start()
    finally:
        kafka.stop()


@contextlib.contextmanager
def _local_postgres(home: Path) -> Iterator[str]:
    postgres = LocalPostgres(home, port=free_port())
    try:
        yield postgres.start()
    finally:
        postgres.stop()


@contextlib.contextmanager
def provide_keycloak(admin_url: str) -> Iterator[LocalKeycloak]:
    """Keycloak on free ports with the project's realm and the demo users, its database a new one on the tests'
    PostgreSQL; its log is kept in test-artifacts/."""
    database = asyncio.run(ensure_database(admin_url, f"t_keycloak_{uuid.uuid4().hex[:10]}"))
    port, management_port = free_ports(2)
    home = REPO_ROOT / ".run" / f"tests-{os.getpid()}" / "keycloak"
    keycloak = LocalKeycloak(home, database, port=port, management_port=management_port)
    try:
        keycloak.start()
        load_demo_users(keycloak)
        yield keycloak
    finally:
        keycloak.stop()
        if keycloak.log_file.exists():
            shutil.copy(keycloak.log_file, ARTIFACTS / "keycloak.log")
