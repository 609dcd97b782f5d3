"""Secrets for test runs (never the development defaults), tokens signed with them, service settings."""

import uuid
from datetime import timedelta
from typing import TypeVar

from fastapi import FastAPI

from shared.auth.scopes import ScopeKeeper
from shared.auth.tokens import issue_token
from shared.domain.access import KnownScopes, Role

JWT_SECRET = "test-only-jwt-secret-0123456789abcdef0123456789"
ENCRYPTION_KEY = "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTAxMjM0NTY="  # Fernet key for tests
CHILD_KEY_SECRET = "test-only-child-key-secret-0123456789"
WEBHOOK_SECRET = "test-only-webhook-secret-0123456789"

S = TypeVar("S")

# A scope the demo directory has, for each role, when a test names none (昔阳县大寨镇, 昔阳县, 晋中市, 大寨村).
DEFAULT_SCOPES = {
    Role.OPERATOR: "1407",
    Role.STATION: "140724104",
    Role.COUNTY_CENTRE: "140724",
    Role.COMMITTEE: "1407",
    Role.VILLAGE: "140724104200",  # 大寨村, a village of reference/demo_village_directors.csv
    Role.ADMIN: "",
}


def token(
    role: Role = Role.OPERATOR,
    scope: str | None = None,
    subject: str = "operator-1",
    hours: float = 1,
    name: str = "",
    platform_client: str | None = None,
) -> str:
    scope = DEFAULT_SCOPES[role] if scope is None else scope
    return issue_token(JWT_SECRET, subject, role, scope, timedelta(hours=hours), name, platform_client)


def bearer(
    role: Role = Role.OPERATOR,
    scope: str | None = None,
    subject: str = "operator-1",
    name: str = "",
    platform_client: str | None = None,
) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, scope, subject, name=name, platform_client=platform_client)}"}


def with_default_scopes(app: FastAPI) -> FastAPI:
    """An app that is not started (no database) knowing the default scopes, for tests that never reach it."""

    async def defaults() -> KnownScopes:
        return KnownScopes(frozenset({DEFAULT_SCOPES[Role.STATION]}), frozenset(DEFAULT_SCOPES.values()))

    app.state.scopes = ScopeKeeper(defaults)
    return app


def service_settings(settings_class: type[S], database_url: str, kafka: str, **overrides: object) -> S:
    """A service's settings for an in-process test: its own consumer group, the test secrets."""
    values = {
        "database_url": database_url,
        "kafka_bootstrap_servers": kafka,
        "consumer_group": f"test-{uuid.uuid4().hex[:8]}",
        "environment": "development",  # the only environment that trusts the development key
        "jwt_secret": JWT_SECRET,
    }
    if "encryption_key" in settings_class.model_fields:
        values["encryption_key"] = ENCRYPTION_KEY
    if "child_key_secret" in settings_class.model_fields:
        values["child_key_secret"] = CHILD_KEY_SECRET
    if "webhook_secret" in settings_class.model_fields:
        values["webhook_secret"] = WEBHOOK_SECRET
    return settings_class(**(values | overrides))
