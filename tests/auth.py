"""Secrets for test runs (never the development defaults) and tokens signed with them."""

from datetime import timedelta

from shared.auth.tokens import Role, issue_token

JWT_SECRET = "test-only-jwt-secret-0123456789abcdef0123456789"
ENCRYPTION_KEY = "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTAxMjM0NTY="  # Fernet key for tests


def token(role: Role = Role.OPERATOR, scope: str = "", subject: str = "operator-1", hours: float = 1) -> str:
    return issue_token(JWT_SECRET, subject, role, scope, timedelta(hours=hours))


def bearer(role: Role = Role.OPERATOR, scope: str = "", subject: str = "operator-1") -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, scope, subject)}"}
