"""Typed settings common to every service; each service adds its own env prefix and fields.

Secrets have development defaults so that `./run` works at once; outside development a secret left
at its default is refused at start-up.
"""

from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_JWT_SECRET = "development-only-jwt-secret-change-me-0123456789"
DEVELOPMENT_CHILD_KEY_SECRET = "development-only-child-key-secret-change-me"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    environment: Literal["development", "test", "production"] = "development"
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    database_url: str
    http_host: str = "127.0.0.1"
    http_port: int
    topic_partitions: int = 6
    # How the cluster keeps the topics a service creates: every service must create them alike, hence no
    # service prefix. 1 and 1 for a single broker; 3 and 2 on a cluster, which then carries on with a broker down.
    topic_replication_factor: int = Field(1, ge=1, validation_alias="TOPIC_REPLICATION_FACTOR")
    topic_min_insync_replicas: int = Field(1, ge=1, validation_alias="TOPIC_MIN_INSYNC_REPLICAS")
    consumer_group: str | None = None  # defaults to the service's name
    consumer_batch: int = 500  # records taken from Kafka at once and committed together
    consumer_poll_ms: int = 5  # an idle subscriber polls this often: shorter is a quicker hop, longer a cheaper idle
    consumer_concurrency: int = 8  # keys of a batch handled at once (each needs a database connection)
    log_level: str = "INFO"
    # One signing key for every service's bearer tokens, hence no service prefix.
    jwt_secret: SecretStr = Field(SecretStr(DEVELOPMENT_JWT_SECRET), validation_alias="JWT_SECRET")

    @model_validator(mode="after")
    def _no_default_secrets_outside_development(self) -> "ServiceSettings":
        if self.environment != "development":
            for name, default in self.secret_defaults().items():
                if getattr(self, name).get_secret_value() == default:
                    raise ValueError(f"{name} is left at its development default")
        return self

    def secret_defaults(self) -> dict[str, str]:
        return {"jwt_secret": DEVELOPMENT_JWT_SECRET}


class ChildKeySettings(ServiceSettings):
    """For the services that tell reports about one child apart (intake and referral): they must agree, so
    the secret has no service prefix (`CHILD_KEY_SECRET`; referral's older `REFERRAL_CHILD_KEY_SECRET` too)."""

    child_key_secret: SecretStr = Field(
        SecretStr(DEVELOPMENT_CHILD_KEY_SECRET),
        validation_alias=AliasChoices("child_key_secret", "CHILD_KEY_SECRET", "REFERRAL_CHILD_KEY_SECRET"),
    )

    def secret_defaults(self) -> dict[str, str]:
        return super().secret_defaults() | {"child_key_secret": DEVELOPMENT_CHILD_KEY_SECRET}
