"""Who a bearer token stands for: a token from the configured OIDC issuer, or, in development only, one signed
with the development key. Verified once per token and remembered until it expires; the issuer's keys are
fetched off the event loop."""

import asyncio
import time
from collections import OrderedDict

import jwt

from shared.auth.jwks import Fetch, fetch_json
from shared.auth.oidc import OidcSettings, OidcVerifier
from shared.auth.tokens import DEVELOPMENT_ALGORITHM, InvalidToken, read_token
from shared.domain.access import Principal
from shared.settings import ServiceSettings

REMEMBERED_TOKENS = 4096


class Authenticator:
    def __init__(self, settings: ServiceSettings, fetch: Fetch = fetch_json) -> None:
        trusted = settings.environment == "development"
        self._development_key = settings.jwt_secret.get_secret_value() if trusted else None
        self._issuer = (
            OidcVerifier(
                OidcSettings(
                    issuer=settings.oidc_issuer,
                    audience=settings.oidc_audience,
                    roles_claim=settings.oidc_roles_claim,
                    scope_claim=settings.oidc_scope_claim,
                ),
                fetch=fetch,
            )
            if settings.oidc_issuer
            else None
        )
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    async def principal(self, token: str) -> Principal:
        """The caller; InvalidToken for any token not trusted here (IssuerUnavailable when the issuer's keys
        cannot be had)."""
        if self._uses_development_key(token):
            if self._development_key is None:
                raise InvalidToken("the development key is trusted in development only")
            return read_token(self._development_key, token)
        if self._issuer is None:
            raise InvalidToken("no identity provider is configured")
        remembered = self._verified.get(token)
        if remembered is not None and time.time() < remembered[1]:
            return remembered[0]
        claims = await asyncio.to_thread(self._issuer.verified_claims, token)
        principal = self._issuer.principal(claims)
        self._remember(token, principal, float(claims["exp"]))
        return principal

    @staticmethod
    def _uses_development_key(token: str) -> bool:
        try:
            return jwt.get_unverified_header(token).get("alg") == DEVELOPMENT_ALGORITHM
        except (jwt.PyJWTError, TypeError, ValueError) as error:
            raise InvalidToken(type(error).__name__) from None

    def _remember(self, token: str, principal: Principal, expires_at: float) -> None:
        self._verified[token] = (principal, expires_at)
        if len(self._verified) > REMEMBERED_TOKENS:
            self._verified.popitem(last=False)
