"""Issuing and checking signed bearer tokens (HS256)."""

import time
from datetime import timedelta
from functools import lru_cache

import jwt

from shared.domain.access import Principal, Role
from shared.events import utcnow

ISSUER = "child-protection-referral"


class InvalidToken(Exception):
    pass


def issue_token(secret: str, subject: str, role: Role, scope: str, lifetime: timedelta) -> str:
    now = utcnow()
    claims = {
        "sub": subject,
        "role": role.value,
        "scope": scope,
        "iss": ISSUER,
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


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
            token, secret, algorithms=["HS256"], issuer=ISSUER, options={"require": ["exp", "sub", "iss"]}
        )
        principal = Principal(subject=str(claims["sub"]), role=Role(claims["role"]), scope=str(claims.get("scope", "")))
        return principal, float(claims["exp"])
    except (jwt.PyJWTError, KeyError, ValueError, TypeError) as error:
        raise InvalidToken(type(error).__name__) from None
