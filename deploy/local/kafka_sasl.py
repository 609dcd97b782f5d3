"""A SASL_SSL listener for the local Kafka node, beside its plain one: TLS with a PEM key and certificate,
and SCRAM users written into the metadata when the storage is formatted (KRaft has no ZooKeeper to hold
them), so that the services can be tried as they connect to a secured cluster."""

from dataclasses import dataclass, field
from pathlib import Path

from shared.kafka_connection import ScramMechanism

SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule required;"


@dataclass(frozen=True)
class SaslSslListener:
    port: int
    keystore: Path  # the private key (PKCS#8, unencrypted) followed by the certificate chain, PEM
    users: dict[str, str] = field(default_factory=dict)  # name: password, for every SCRAM mechanism

    def applied_to(self, properties: str, plain_port: int) -> str:
        """The node's properties with this listener added (the brokers still talk among themselves in plain)."""
        plain = f"PLAINTEXT://127.0.0.1:{plain_port}"
        secure = f"SASL_SSL://127.0.0.1:{self.port}"
        properties = properties.replace(f"listeners={plain},", f"listeners={plain},{secure},", 1)
        properties = properties.replace(f"advertised.listeners={plain}\n", f"advertised.listeners={plain},{secure}\n")
        properties = properties.replace("CONTROLLER:PLAINTEXT\n", "CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL\n", 1)
        mechanisms = [mechanism.value for mechanism in ScramMechanism]
        lines = [
            f"sasl.enabled.mechanisms={','.join(mechanisms)}",
            *(f"listener.name.sasl_ssl.{name.lower()}.sasl.jaas.config={SCRAM_LOGIN}" for name in mechanisms),
            "ssl.keystore.type=PEM",
            f"ssl.keystore.location={self.keystore}",
        ]
        return properties + "\n".join(lines) + "\n"

    def format_arguments(self) -> list[str]:
        """The StorageTool's `--add-scram` for each user and mechanism."""
        return [
            argument
            for name, password in self.users.items()
            for mechanism in ScramMechanism
            for argument in ("--add-scram", f"{mechanism.value}=[name={name},password={password}]")
        ]
