"""The Kafka connection settings: plain text by default, SASL_SSL only whole, the password never shown."""

import ssl

import pytest
from faststream.security import SASLScram256, SASLScram512
from pydantic import ValidationError

from services.intake.settings import IntakeSettings
from shared.kafka_connection import KafkaConnection, KafkaSettings, ScramMechanism

PASSWORD = "a-scram-password-nobody-may-see"


def test_plain_text_by_default_with_the_bootstrap_list_only(monkeypatch):
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)  # the tests may be pointed at a broker
    connection = KafkaSettings().kafka()
    assert connection.client_options() == {"bootstrap_servers": "127.0.0.1:19092"}
    assert connection.broker_security() is None


def test_sasl_ssl_settings_come_with_the_service_prefix(monkeypatch, tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("")
    for name, value in {
        "KAFKA_BOOTSTRAP_SERVERS": "kafka-1:9093,kafka-2:9093",
        "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "KAFKA_SASL_MECHANISM": "SCRAM-SHA-256",
        "KAFKA_SASL_USERNAME": "intake",
        "KAFKA_SASL_PASSWORD": PASSWORD,
        "KAFKA_CA_FILE": str(ca),
    }.items():
        monkeypatch.setenv(f"INTAKE_{name}", value)
    monkeypatch.setattr(KafkaConnection, "ssl_context", lambda _self: ssl.create_default_context())

    connection = IntakeSettings(database_url="postgresql://localhost/intake").kafka()

    options = connection.client_options()
    assert options["security_protocol"] == "SASL_SSL"
    assert (options["sasl_mechanism"], options["sasl_plain_username"]) == ("SCRAM-SHA-256", "intake")
    assert options["sasl_plain_password"] == PASSWORD
    assert isinstance(connection.broker_security(), SASLScram256)
    assert connection.ca_file == ca
    assert PASSWORD not in repr(connection) + str(connection)


def test_sasl_ssl_needs_a_user_and_the_refusal_shows_no_password():
    with pytest.raises(ValidationError, match="needs kafka_sasl_username and kafka_sasl_password") as refused:
        KafkaSettings(kafka_security_protocol="SASL_SSL", kafka_sasl_password=PASSWORD)
    assert PASSWORD not in str(refused.value)


def test_a_ca_file_that_is_not_there_is_refused():
    with pytest.raises(ValidationError, match="kafka_ca_file"):
        KafkaSettings(kafka_ca_file="/nonexistent/ca.pem")


def test_the_broker_takes_the_mechanism_and_a_verifying_context():
    connection = KafkaSettings(
        kafka_security_protocol="SASL_SSL", kafka_sasl_username="referral", kafka_sasl_password=PASSWORD
    ).kafka()
    security = connection.broker_security()
    assert isinstance(security, SASLScram512) and connection.sasl_mechanism is ScramMechanism.SCRAM_SHA_512
    assert security.ssl_context.verify_mode is ssl.CERT_REQUIRED and security.ssl_context.check_hostname
