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

from shared.auth.jwks import KEY_TYPES, Fetch, IssuerKeys, fetch_json
from shared.auth.tokens import CLIENT_SHAPE, NAME_SHAPE, SCOPE_SHAPE, InvalidToken
from shared.domain.access import Principal, Role

ROLES = {role.value: role for role in Role}
CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class OidcSettings:
    issuer: str  # e.g. http://127.0.0.1:18080/realms/child-protection
    audience: str = "child-protection-services"
    roles_claim: str = "realm_access.roles"  # a dotted path to a list of role names
    scope_claim: str = "scope_code"
    name_claims: tuple[str, ...] = ("name", "preferred_username")  # the first one present names the person
    platform_claim: str = "platform_client"  # set by the issuer on a 12345 platform client's tokens only
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
        return self.principal(self.verified_claims(token))

    def principal(self, claims: dict[str, Any]) -> Principal:
        """Who verified claims stand for; InvalidToken when their role, scope or client are not of this system."""
        return Principal(
            subject=claims["sub"],
            role=self._role(claims),
            scope=self._scope(claims),
            name=self._name(claims),
            platform_client=self._platform_client(claims),
        )

    def verified_claims(self, token: str) -> dict[str, Any]:
        settings = self.settings
        try:
            header = jwt.get_unverified_header(token)
        except (jwt.PyJWTError, TypeError, ValueError) as error:
            raise InvalidToken(type(error).__name__) from None
        algorithm = header.get("alg")
        if algorithm not in KEY_TYPES:  # never "none", never HS256 keyed with a public key
            raise InvalidToken("algorithm")
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise InvalidToken("kid")
        key = self._keys.signing_key(kid)
        if key.algorithm_name != algorithm:  # a token may not choose how the issuer's key is used
            raise InvalidToken("algorithm")
        try:
            claims = jwt.decode(
                token,
                key=key.key,
                algorithms=[algorithm],
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

    def _name(self, claims: dict[str, Any]) -> str:
        """A Chinese name is family name then given name, with no space (王丽, not "丽 王"); others as given."""
        family, given = claims.get("family_name"), claims.get("given_name")
        if isinstance(family, str) and isinstance(given, str) and CJK.search(family + given):
            name: Any = family + given
        else:
            name = next((claims[claim] for claim in self.settings.name_claims if claims.get(claim)), "")
        return name if isinstance(name, str) and NAME_SHAPE.fullmatch(name) else ""

    def _platform_client(self, claims: dict[str, Any]) -> str | None:
        client = claims_at(claims, self.settings.platform_claim)
        if client is None:
            return None
        if not isinstance(client, str) or not CLIENT_SHAPE.fullmatch(client):
            raise InvalidToken("platform_client")
        return client


def claims_at(claims: dict[str, Any], path: str) -> Any:
    """The value at a dotted path (`realm_access.roles`), or None where the path leads nowhere."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
