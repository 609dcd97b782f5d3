"""Secrets for test runs (never the development defaults), tokens signed with them, service settings."""

import uuid
from datetime import timedelta
from typing import TypeVar

from shared.auth.tokens import issue_token
from shared.domain.access import Role

JWT_SECRET = "test-only-jwt-secret-0123456789abcdef0123456789"
ENCRYPTION_KEY = "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTAxMjM0NTY="  # Fernet key for tests
CHILD_KEY_SECRET = "test-only-child-key-secret"
WEBHOOK_SECRET = "test-only-webhook-secret"

S = TypeVar("S")


def token(role: Role = Role.OPERATOR, scope: str = "", subject: str = "operator-1", hours: float = 1) -> str:
    return issue_token(JWT_SECRET, subject, role, scope, timedelta(hours=hours))


def bearer(role: Role = Role.OPERATOR, scope: str = "", subject: str = "operator-1") -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, scope, subject)}"}


def service_settings(settings_class: type[S], database_url: str, kafka: str, **overrides: object) -> S:
    """A service's settings for an in-process test: its own consumer group, the test secrets."""
    values = {
        "database_url": database_url,
        "kafka_bootstrap_servers": kafka,
        "consumer_group": f"test-{uuid.uuid4().hex[:8]}",
        "environment": "test",
        "jwt_secret": JWT_SECRET,
    }
    if "encryption_key" in settings_class.model_fields:
        values["encryption_key"] = ENCRYPTION_KEY
    if "child_key_secret" in settings_class.model_fields:
        values["child_key_secret"] = CHILD_KEY_SECRET
    if "webhook_secret" in settings_class.model_fields:
        values["webhook_secret"] = WEBHOOK_SECRET
    return settings_class(**(values | overrides))
