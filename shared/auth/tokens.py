"""Development tokens: signed with the development key (JWT_SECRET, HS256) by `python -m shared.auth`, for
`./run` and the tests. Services trust them only in the development environment; elsewhere tokens come from the
OIDC issuer (shared/auth/oidc.py)."""

import re
import time
from datetime import timedelta
from functools import lru_cache
from typing import Any

import jwt

from shared.domain.access import Principal, Role
from shared.events import utcnow

ISSUER = "child-protection-referral"
DEVELOPMENT_ALGORITHM = "HS256"
MAX_DEVELOPMENT_LIFETIME = timedelta(hours=12)  # a token made to last longer is refused whatever its signature
# A scope is a division code prefix (empty: no area, as an admin's). Whether it fits the role is checked
# against the directory, elsewhere.
SCOPE_SHAPE = re.compile(r"[0-9]{0,12}")
NAME_SHAPE = re.compile(r"[^\x00-\x1f\x7f]{0,64}")
CLIENT_SHAPE = re.compile(r"[A-Za-z0-9._-]{1,64}")


class InvalidToken(Exception):
    pass


def issue_token(
    secret: str,
    subject: str,
    role: Role,
    scope: str,
    lifetime: timedelta,
    name: str = "",
    platform_client: str | None = None,
) -> str:
    now = utcnow()
    claims: dict[str, Any] = {
        "sub": subject,
        "role": role.value,
        "scope": scope,
        "iss": ISSUER,
        "iat": now,
        "exp": now + lifetime,
    }
    if name:
        claims["name"] = name
    if platform_client:
        claims["platform_client"] = platform_client
    return jwt.encode(claims, secret, algorithm=DEVELOPMENT_ALGORITHM)


def read_token(secret: str, token: str) -> Principal:
    principal, expires_at = _verified(secret, token)
    if time.time() >= expires_at:
        raise InvalidToken("ExpiredSignatureError")
    return principal


@lru_cache(maxsize=4096)
def _verified(secret: str, token: str) -> tuple[Principal, float]:
    """Checks the signature and claims once per token (a caller sends the same token with every request);
    the expiry is checked again on every use. A token that fails is not remembered."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[DEVELOPMENT_ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
        return _principal(claims), float(claims["exp"])
    except (jwt.PyJWTError, KeyError, ValueError, TypeError) as error:
        raise InvalidToken(type(error).__name__) from None


def _principal(claims: dict[str, Any]) -> Principal:
    subject, scope = claims["sub"], claims.get("scope", "")
    name, client = claims.get("name", ""), claims.get("platform_client")
    if not isinstance(subject, str) or not subject:
        raise InvalidToken("sub")
    if claims["exp"] - claims["iat"] > MAX_DEVELOPMENT_LIFETIME.total_seconds():
        raise InvalidToken("lifetime")
    if not isinstance(scope, str) or not SCOPE_SHAPE.fullmatch(scope):
        raise InvalidToken("scope")
    if not isinstance(name, str) or not NAME_SHAPE.fullmatch(name):
        raise InvalidToken("name")
    if client is not None and (not isinstance(client, str) or not CLIENT_SHAPE.fullmatch(client)):
        raise InvalidToken("platform_client")
    return Principal(subject=subject, role=Role(claims["role"]), scope=scope, name=name, platform_client=client)
