"""How every Kafka client of the services connects: in plain text to a local broker, or over TLS with a
SCRAM user (SASL_SSL). The broker, the outbox relay, the admin clients, the lag reader and the dead-letter
tools all take their options from here, so that no client is left connecting in the clear."""

import ssl
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from faststream.security import BaseSecurity, SASLScram256, SASLScram512
from pydantic import FilePath, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class KafkaSecurityProtocol(StrEnum):
    PLAINTEXT = "PLAINTEXT"
    SASL_SSL = "SASL_SSL"


class ScramMechanism(StrEnum):
    SCRAM_SHA_512 = "SCRAM-SHA-512"
    SCRAM_SHA_256 = "SCRAM-SHA-256"


@dataclass(frozen=True)
class KafkaConnection:
    bootstrap_servers: str
    security_protocol: KafkaSecurityProtocol = KafkaSecurityProtocol.PLAINTEXT
    sasl_mechanism: ScramMechanism = ScramMechanism.SCRAM_SHA_512
    username: str = ""
    password: SecretStr = field(default=SecretStr(""), repr=False)
    # The CA that signed the brokers' certificates; none: the system's trusted CAs.
    ca_file: Path | None = None

    @property
    def encrypted(self) -> bool:
        return self.security_protocol is KafkaSecurityProtocol.SASL_SSL

    def client_options(self) -> dict[str, Any]:
        """The keyword arguments of an aiokafka producer, consumer or admin client."""
        if not self.encrypted:
            return {"bootstrap_servers": self.bootstrap_servers}
        return {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": self.security_protocol.value,
            "ssl_context": self.ssl_context(),
            "sasl_mechanism": self.sasl_mechanism.value,
            "sasl_plain_username": self.username,
            "sasl_plain_password": self.password.get_secret_value(),
        }

    def broker_security(self) -> BaseSecurity | None:
        """The same, as FastStream's KafkaBroker takes it."""
        if not self.encrypted:
            return None
        scram = SASLScram512 if self.sasl_mechanism is ScramMechanism.SCRAM_SHA_512 else SASLScram256
        return scram(self.username, self.password.get_secret_value(), ssl_context=self.ssl_context())

    def ssl_context(self) -> ssl.SSLContext:
        """Verifies the broker's certificate and its host name; TLS 1.2 at least."""
        context = ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context


KafkaTarget = KafkaConnection | str  # a bare bootstrap list is a plain-text connection (tests, local tools)


def kafka_connection(target: KafkaTarget) -> KafkaConnection:
    return target if isinstance(target, KafkaConnection) else KafkaConnection(target)


class KafkaSettings(BaseSettings):
    """The Kafka settings of a service (with its prefix), or of a tool (without: KAFKA_BOOTSTRAP_SERVERS...)."""

    # A refused setting's error shows no input: the inputs hold the passwords (this one's, the database URL's).
    model_config = SettingsConfigDict(extra="ignore", hide_input_in_errors=True)

    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    # SASL_SSL: TLS to the brokers (verified against kafka_ca_file, or the system's CAs) and a SCRAM user.
    kafka_security_protocol: KafkaSecurityProtocol = KafkaSecurityProtocol.PLAINTEXT
    kafka_sasl_mechanism: ScramMechanism = ScramMechanism.SCRAM_SHA_512
    kafka_sasl_username: str = ""
    kafka_sasl_password: SecretStr = SecretStr("")
    kafka_ca_file: FilePath | None = None

    @model_validator(mode="after")
    def _kafka_user_given(self) -> "KafkaSettings":
        encrypted = self.kafka_security_protocol is KafkaSecurityProtocol.SASL_SSL
        if encrypted and not (self.kafka_sasl_username and self.kafka_sasl_password.get_secret_value()):
            raise ValueError("kafka_security_protocol SASL_SSL needs kafka_sasl_username and kafka_sasl_password")
        return self

    def kafka(self) -> KafkaConnection:
        """How this service's (or tool's) Kafka clients connect."""
        return KafkaConnection(
            self.kafka_bootstrap_servers,
            self.kafka_security_protocol,
            self.kafka_sasl_mechanism,
            self.kafka_sasl_username,
            self.kafka_sasl_password,
            self.kafka_ca_file,
        )
