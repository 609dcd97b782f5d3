"""Checking bearer tokens from an OpenID Connect issuer (Keycloak here, or any standard one such as a
government unified-identity platform): an RS256 signature by one of the issuer's published keys, the issuer,
the audience, expiry, not-before, issued-at and a longest lifetime; then who the caller is, as a Principal.

Only the issuer URL, the audience and the claim names are settings."""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt

from shared.auth.jwks import SIGNING_ALGORITHM, Fetch, IssuerKeys, fetch_json
from shared.auth.tokens import InvalidToken
from shared.domain.access import Principal, Role

# A scope is a division code prefix (empty: no area, as an admin's). Its meaning is checked elsewhere.
SCOPE_SHAPE = re.compile(r"[0-9]{0,12}")
ROLES = {role.value: role for role in Role}


@dataclass(frozen=True)
class OidcSettings:
    issuer: str  # e.g. http://127.0.0.1:18080/realms/child-protection
    audience: str = "child-protection-services"
    roles_claim: str = "realm_access.roles"  # a dotted path to a list of role names
    scope_claim: str = "scope_code"
    max_lifetime_seconds: int = 3600  # exp - iat: a token made to last longer is refused whatever its signature
    leeway_seconds: int = 30  # clock difference allowed between the issuer and this machine


class OidcVerifier:
    def __init__(self, settings: OidcSettings, fetch: Fetch = fetch_json, clock: Callable[[], float] = time.time):
        self.settings = settings
        self._keys = IssuerKeys(settings.issuer, fetch)
        self._clock = clock

    def verify(self, token: str) -> Principal:
        """The caller the token stands for; InvalidToken for anything else (IssuerUnavailable when the issuer's
        keys cannot be had at all)."""
        claims = self.verified_claims(token)
        return Principal(subject=claims["sub"], role=self._role(claims), scope=self._scope(claims))

    def verified_claims(self, token: str) -> dict[str, Any]:
        settings = self.settings
        try:
            header = jwt.get_unverified_header(token)
        except (jwt.PyJWTError, TypeError, ValueError) as error:
            raise InvalidToken(type(error).__name__) from None
        if header.get("alg") != SIGNING_ALGORITHM:  # never "none", never HS256 keyed with a public key
            raise InvalidToken("algorithm")
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise InvalidToken("kid")
        key = self._keys.signing_key(kid)
        try:
            claims = jwt.decode(
                token,
                key=key.key,
                algorithms=[SIGNING_ALGORITHM],
                audience=settings.audience,
                issuer=settings.issuer,
                leeway=settings.leeway_seconds,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except (jwt.PyJWTError, TypeError, ValueError) as error:
            raise InvalidToken(type(error).__name__) from None
        self._check_times(claims)
        if not isinstance(claims["sub"], str) or not claims["sub"]:
            raise InvalidToken("sub")
        return claims

    def _check_times(self, claims: dict[str, Any]) -> None:
        """PyJWT has checked exp, nbf and iat against now; here the span they allow is bounded."""
        issued, expires = claims["iat"], claims["exp"]
        if not all(isinstance(value, int | float) and not isinstance(value, bool) for value in (issued, expires)):
            raise InvalidToken("times")
        if expires - issued > self.settings.max_lifetime_seconds or expires <= issued:
            raise InvalidToken("lifetime")

    def _role(self, claims: dict[str, Any]) -> Role:
        """The one role of this system among the token's roles; none or several is refused."""
        names = claims_at(claims, self.settings.roles_claim)
        if not isinstance(names, list):
            raise InvalidToken("roles")
        roles = {ROLES[name] for name in names if isinstance(name, str) and name in ROLES}
        if len(roles) != 1:
            raise InvalidToken("roles")
        return roles.pop()

    def _scope(self, claims: dict[str, Any]) -> str:
        scope = claims_at(claims, self.settings.scope_claim)
        if scope is None:
            return ""
        if not isinstance(scope, str) or not SCOPE_SHAPE.fullmatch(scope):
            raise InvalidToken("scope")
        return scope


def claims_at(claims: dict[str, Any], path: str) -> Any:
    """The value at a dotted path (`realm_access.roles`), or None where the path leads nowhere."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
