"""Typed settings common to every service; each service adds its own env prefix and fields.

Secrets have development defaults so that `./run` works at once; outside development a secret left at its
default, or shorter than 32 characters, is refused at start-up, and production refuses to start without an
identity provider or with the development signing key.
"""

import os
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from shared.kafka_connection import KafkaSettings
from shared.logs import LogFormat

DEVELOPMENT_JWT_SECRET = "development-only-jwt-secret-change-me-0123456789"
DEVELOPMENT_CHILD_KEY_SECRET = "development-only-child-key-secret-change-me"
STRICTNESS = ("development", "test", "production")
MIN_SECRET_LENGTH = 32


class ServiceSettings(KafkaSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    environment: Literal["development", "test", "production"] = "development"
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
    consumer_poll_ms: int = 2000  # the longest an idle subscriber waits in one poll; a record ends the wait
    consumer_concurrency: int = 8  # keys of a batch handled at once (each needs a database connection)
    log_level: str = "INFO"
    # One JSON object a line (for a log collector), or `text` for a person at a terminal; alike in every service.
    log_format: LogFormat = Field(LogFormat.JSON, validation_alias="LOG_FORMAT")
    # How often the instance reporting the whole service's figures measures the consumer lag (README, Metrics),
    # and how often the others try to take over from it.
    metrics_interval_seconds: float = Field(15.0, gt=0)
    # Traces go over OTLP/HTTP to a collector once an endpoint is set; none by default. OpenTelemetry's own
    # variables, read as it defines them (the traces endpoint as it is, the base one with /v1/traces added).
    otlp_endpoint: str | None = Field(None, validation_alias="OTEL_EXPORTER_OTLP_ENDPOINT")
    otlp_traces_endpoint: str | None = Field(None, validation_alias="OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    # What the retention command deletes (README, Retention). A processed-event id must outlive the topics'
    # 7 days, or a consumer that reads a topic again would apply an event twice.
    outbox_retention_days: int = Field(7, ge=1)
    processed_events_retention_days: int = Field(30, ge=8)
    audit_retention_years: int = Field(3, ge=1)
    personal_data_retention_years: int = Field(5, ge=1, le=100)  # after a case closed; intake and referral
    # A phone may send a queued action days after it was recorded: its key is kept long enough to answer it again.
    idempotency_keys_retention_days: int = Field(30, ge=7)
    # Dead letters wait for a person to look at them: kept longer than Kafka's 7 days. Like the topics, no prefix.
    dead_letter_retention_days: int = Field(90, ge=1, validation_alias="DEAD_LETTER_RETENTION_DAYS")
    # The development signing key of `python -m shared.auth` tokens, trusted in development only; one for
    # every service, hence no service prefix.
    jwt_secret: SecretStr = Field(SecretStr(DEVELOPMENT_JWT_SECRET), validation_alias="JWT_SECRET")
    # The OpenID Connect issuer whose tokens the services trust (Keycloak, or a government unified-identity
    # platform): only its URL, the audience and the claim names are settings, and they are the same for
    # every service, hence no service prefix.
    oidc_issuer: str | None = Field(None, validation_alias="OIDC_ISSUER", pattern=r"^https?://[^\s]+$")
    oidc_audience: str = Field("child-protection-services", validation_alias="OIDC_AUDIENCE")
    oidc_pages_client: str = Field("referral-pages", validation_alias="OIDC_PAGES_CLIENT")
    oidc_roles_claim: str = Field("realm_access.roles", validation_alias="OIDC_ROLES_CLAIM")
    oidc_scope_claim: str = Field("scope_code", validation_alias="OIDC_SCOPE_CLAIM")

    @model_validator(mode="after")
    def _strictest_environment(self) -> "ServiceSettings":
        """A plain ENVIRONMENT counts as much as the service's own: the stricter of the two wins."""
        plain = os.environ.get("ENVIRONMENT", "").strip().lower()
        if plain and plain not in STRICTNESS:
            raise ValueError(f"ENVIRONMENT must be one of {', '.join(STRICTNESS)}")
        if plain and STRICTNESS.index(plain) > STRICTNESS.index(self.environment):
            self.environment = plain  # type: ignore[assignment]
        return self

    @model_validator(mode="after")
    def _guarded_outside_development(self) -> "ServiceSettings":
        if self.environment == "development":
            return self
        for name, default in self.secret_defaults().items():
            value = getattr(self, name).get_secret_value()
            if value == default:
                raise ValueError(f"{name} is left at its development default")
            if len(value) < MIN_SECRET_LENGTH:
                raise ValueError(f"{name} must be at least {MIN_SECRET_LENGTH} characters long")
        if self.environment == "production":
            if not self.oidc_issuer:
                raise ValueError("production needs OIDC_ISSUER: the identity provider whose tokens are trusted")
            if "jwt_secret" in self.model_fields_set:
                raise ValueError("JWT_SECRET is the development signing key and has no place in production")
        return self

    def secret_defaults(self) -> dict[str, str]:
        """The secrets this service uses, with their development defaults."""
        return {}


class ChildKeySettings(ServiceSettings):
    """For the services that tell reports about one child apart (intake and referral): they must agree, so
    the secret has no service prefix (`CHILD_KEY_SECRET`; referral's older `REFERRAL_CHILD_KEY_SECRET` too)."""

    child_key_secret: SecretStr = Field(
        SecretStr(DEVELOPMENT_CHILD_KEY_SECRET),
        validation_alias=AliasChoices("child_key_secret", "CHILD_KEY_SECRET", "REFERRAL_CHILD_KEY_SECRET"),
    )

    def secret_defaults(self) -> dict[str, str]:
        return super().secret_defaults() | {"child_key_secret": DEVELOPMENT_CHILD_KEY_SECRET}
