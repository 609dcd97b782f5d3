"""A service on a Kafka that takes only SCRAM users over TLS and a PostgreSQL that takes only TLS, both of
the module's own with certificates of a CA made here: it migrates, publishes through its outbox relay,
consumes, reports its lag, and a wrong password or an untrusted certificate stops it with a clear reason
and without the password anywhere."""

import logging
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import asyncpg
import pytest
from aiokafka.errors import KafkaConnectionError
from pydantic import SecretStr

from deploy.local.kafka import LocalKafka
from deploy.local.kafka_sasl import SaslSslListener
from deploy.local.postgres import LocalPostgres
from deploy.local.process import REPO_ROOT, free_ports
from shared.database import apply_migrations, create_pool, ensure_database
from shared.events import ReportReceived
from shared.kafka_connection import KafkaConnection, KafkaSecurityProtocol, ScramMechanism
from shared.messaging import ensure_topics
from shared.outbox import enqueue
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from tests.factories import report_received
from tests.integration.conftest import serving
from tests.tls_certificates import Certificates, write_certificates
from tests.waiting import eventually

NO_SERVICE_MIGRATIONS = Path(__file__).parent / "no_migrations"
USER = "intake"
PASSWORD = f"scram-{secrets.token_urlsafe(18)}"  # random: any copy of it in a log or an error is found


class ProbeSettings(ServiceSettings):
    model_config = {"env_prefix": "PROBE_"}
    http_port: int = 0


@pytest.fixture(scope="module")
def certificates() -> Iterator[Certificates]:
    # Under the repository, not /tmp: PostgreSQL's own user must reach its key.
    folder = REPO_ROOT / ".run" / f"tls-tests-{os.getpid()}"
    yield write_certificates(folder / "certificates")
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def secure_kafka(certificates: Certificates) -> Iterator[KafkaConnection]:
    port, controller_port, secure_port = free_ports(3)
    listener = SaslSslListener(secure_port, certificates.keystore, {USER: PASSWORD})
    kafka = LocalKafka(certificates.ca.parents[1] / "kafka", port, controller_port, sasl_ssl=listener)
    kafka.start()
    try:
        yield KafkaConnection(
            f"127.0.0.1:{secure_port}",
            KafkaSecurityProtocol.SASL_SSL,
            ScramMechanism.SCRAM_SHA_512,
            USER,
            SecretStr(PASSWORD),
            certificates.ca,
        )
    finally:
        kafka.stop()


@pytest.fixture(scope="module")
def secure_postgres(certificates: Certificates) -> Iterator[str]:
    """An admin URL that asks for TLS with the server's certificate and name checked against the CA."""
    [port] = free_ports(1)
    postgres = LocalPostgres(
        certificates.ca.parents[1] / "postgres", port, (certificates.certificate, certificates.key)
    )
    admin_url = postgres.start()
    try:
        yield f"{admin_url}?sslmode=verify-full&sslrootcert={certificates.ca}"
    finally:
        postgres.stop()


def settings_from_environment(monkeypatch: pytest.MonkeyPatch, kafka: KafkaConnection, database: str) -> ProbeSettings:
    for name, value in {
        "DATABASE_URL": database,
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "KAFKA_SECURITY_PROTOCOL": kafka.security_protocol.value,
        "KAFKA_SASL_MECHANISM": kafka.sasl_mechanism.value,
        "KAFKA_SASL_USERNAME": kafka.username,
        "KAFKA_SASL_PASSWORD": kafka.password.get_secret_value(),
        "KAFKA_CA_FILE": str(kafka.ca_file or ""),
    }.items():
        monkeypatch.setenv(f"PROBE_{name}", value)
    monkeypatch.setenv("PROBE_METRICS_INTERVAL_SECONDS", "0.5")
    return ProbeSettings()


async def test_a_service_migrates_publishes_and_consumes_over_tls(secure_kafka, secure_postgres, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    database = await ensure_database(secure_postgres, f"tls_{secrets.token_hex(4)}")
    assert "sslmode=verify-full" in database, "a service's database URL keeps the TLS parameters"
    settings = settings_from_environment(monkeypatch, secure_kafka, database)
    assert settings.kafka() == secure_kafka
    runtime = ServiceRuntime("tls-probe", settings, NO_SERVICE_MIGRATIONS, publishes=True)
    received: list[ReportReceived] = []

    async def handle(event: ReportReceived) -> None:
        received.append(event)

    runtime.consume(ReportReceived, handle)
    event = report_received()
    async with serving(runtime.create_app(title="probe"), headers={}) as client:
        async with runtime.pool.acquire() as connection, connection.transaction():
            await enqueue(connection, event, key="child")  # the outbox relay publishes it, the broker consumes it

        async def delivered() -> bool:
            return [e.event_id for e in received] == [event.event_id]

        await eventually(delivered, timeout=60, what="the event, published and consumed over SASL_SSL")

        async def lag_measured() -> bool:  # by the figure reporter, on its own Kafka clients
            return 'consumer_lag{group="tls-probe"' in (await client.get("/metrics")).text

        await eventually(lag_measured, timeout=60, what="the consumer lag, measured over SASL_SSL")
        encrypted = await runtime.pool.fetchval("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")

    assert encrypted is True
    assert PASSWORD not in caplog.text


async def test_migrations_and_queries_refuse_a_server_they_cannot_verify(secure_postgres, certificates, monkeypatch):
    """sslmode=verify-full with no CA at hand, or the wrong one, is refused by asyncpg and by psycopg (yoyo)."""
    database = await ensure_database(secure_postgres, f"tls_{secrets.token_hex(4)}")
    other_ca = write_certificates(certificates.ca.parents[1] / "other", "Another CA").ca
    wrong_ca = database.replace(str(certificates.ca), str(other_ca))
    no_ca = database.replace(f"&sslrootcert={certificates.ca}", "&sslrootcert=/nonexistent/ca.pem")
    plain = database.replace("sslmode=verify-full", "sslmode=disable")

    with pytest.raises(Exception, match="certificate verify failed"):
        await create_pool(wrong_ca, max_size=1)
    with pytest.raises(Exception, match="certificate verify failed"):
        apply_migrations(wrong_ca, NO_SERVICE_MIGRATIONS)
    with pytest.raises(FileNotFoundError, match="sslrootcert of the database URL: no file /nonexistent/ca.pem"):
        await create_pool(no_ca, max_size=1)
    monkeypatch.setenv("HOME", str(certificates.ca.parent))  # no ~/.postgresql/root.crt to fall back on
    with pytest.raises(asyncpg.ClientConfigurationError, match="root certificate file"):  # and none at all
        await create_pool(database.replace(f"&sslrootcert={certificates.ca}", ""), max_size=1)
    with pytest.raises(asyncpg.InvalidAuthorizationSpecificationError, match="no encryption"):
        await create_pool(plain, max_size=1)
    apply_migrations(database, NO_SERVICE_MIGRATIONS)  # the right CA: through


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"password": SecretStr("not-the-password")}, "Authentication failed"),
        ({"ca_file": None}, "CERTIFICATE_VERIFY_FAILED"),  # the system's CAs do not know the test's CA
        ({"sasl_mechanism": ScramMechanism.SCRAM_SHA_256}, None),  # the same user, the other mechanism: through
    ],
)
async def test_a_wrong_password_or_an_unknown_ca_is_refused_with_its_reason(secure_kafka, caplog, change, reason):
    caplog.set_level(logging.DEBUG)
    connection = replace(secure_kafka, **change)
    if reason is None:
        await ensure_topics(connection, ["tls.probe"], partitions=1)
        return
    with pytest.raises(Exception) as refused:
        await ensure_topics(connection, ["tls.probe"], partitions=1)

    told = caplog.text + str(refused.value) + repr(connection)
    assert reason in caplog.text, "the log says why"
    assert PASSWORD not in told and connection.password.get_secret_value() not in told


async def test_a_service_given_a_wrong_password_does_not_start(secure_kafka, secure_postgres, monkeypatch, caplog):
    database = await ensure_database(secure_postgres, f"tls_{secrets.token_hex(4)}")
    wrong = replace(secure_kafka, password=SecretStr(f"wrong-{secrets.token_urlsafe(12)}"))
    settings = settings_from_environment(monkeypatch, wrong, database)
    runtime = ServiceRuntime("tls-probe", settings, NO_SERVICE_MIGRATIONS, publishes=True)

    with pytest.raises(KafkaConnectionError):
        async with serving(runtime.create_app(title="probe"), headers={}):
            pass

    assert "SaslAuthenticationFailed" in caplog.text
    assert wrong.password.get_secret_value() not in caplog.text
