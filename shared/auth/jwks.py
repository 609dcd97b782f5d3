"""An OpenID Connect issuer's signing keys: found through its discovery document, fetched from its JWKS and
kept, fetched again when a token names a key not yet seen (the issuer rotated its keys) or when they are old.

A token can name any key id, so a refetch for an unknown one happens at most every `refetch_after` seconds:
forged tokens cannot make every request a call to the issuer. Keys are only ever taken from the issuer's own
jwks_uri, never from a token's headers (`jku`, `x5u`, `jwk`)."""

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
from jwt import PyJWK
from jwt.exceptions import PyJWKError

from shared.auth.tokens import InvalidToken

Fetch = Callable[[str], Any]  # a URL to its JSON document

# The signature algorithms trusted, each with the only key type it may use: never "none", never HS256.
KEY_TYPES = {"RS256": "RSA", "ES256": "EC"}


class IssuerUnavailable(Exception):
    """The issuer's discovery document or keys could not be read or are not what they should be."""


def fetch_json(url: str) -> Any:
    try:
        answer = httpx.get(url, timeout=5, follow_redirects=False)
        answer.raise_for_status()
        return answer.json()
    except (httpx.HTTPError, ValueError) as error:
        raise IssuerUnavailable(f"{url}: {type(error).__name__}") from None


def discover_jwks_uri(issuer: str, fetch: Fetch = fetch_json) -> str:
    """The issuer's jwks_uri, from its discovery document, which must name the same issuer (OIDC Discovery 4.3)."""
    document = fetch(f"{issuer.rstrip('/')}/.well-known/openid-configuration")
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise IssuerUnavailable(f"the discovery document at {issuer} names another issuer")
    jwks_uri = document.get("jwks_uri")
    if not isinstance(jwks_uri, str) or not jwks_uri.startswith(("https://", "http://")):
        raise IssuerUnavailable(f"the discovery document at {issuer} has no jwks_uri")
    return jwks_uri


class IssuerKeys:
    def __init__(
        self,
        issuer: str,
        fetch: Fetch = fetch_json,
        clock: Callable[[], float] = time.monotonic,
        refetch_after: float = 30,
        max_age: float = 3600,
    ) -> None:
        self.issuer = issuer
        self._fetch = fetch
        self._clock = clock
        self._refetch_after = refetch_after
        self._max_age = max_age
        self._jwks_uri: str | None = None
        self._keys: dict[str | None, PyJWK] = {}
        self._fetched_at: float | None = None  # when the keys were last read
        self._attempted_at: float | None = None  # when they were last asked for, read or not
        self._lock = threading.Lock()

    def signing_key(self, kid: str | None) -> PyJWK:
        """The issuer's signing key with this id (a token without one may use the issuer's only key)."""
        with self._lock:
            if self._since(self._fetched_at) >= self._max_age:
                self._refresh()
            key = self._find(kid)
            if key is None and self._since(self._attempted_at) >= self._refetch_after:
                self._refresh()
                key = self._find(kid)
        if key is None:
            raise InvalidToken("unknown signing key")
        return key

    def _find(self, kid: str | None) -> PyJWK | None:
        if kid is None:
            return next(iter(self._keys.values())) if len(self._keys) == 1 else None
        return self._keys.get(kid)

    def _since(self, moment: float | None) -> float:
        return float("inf") if moment is None else self._clock() - moment

    def _refresh(self) -> None:
        """Fetches the keys again. While the issuer cannot be read, the keys already known still serve; with
        none known, the caller hears of it, at most once every `refetch_after` seconds."""
        if self._since(self._attempted_at) < self._refetch_after:
            if not self._keys:
                raise IssuerUnavailable(f"{self.issuer} could not be read a moment ago")
            return
        self._attempted_at = self._clock()
        try:
            if self._jwks_uri is None:
                self._jwks_uri = discover_jwks_uri(self.issuer, self._fetch)
            document = self._fetch(self._jwks_uri)
            if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
                raise IssuerUnavailable(f"{self._jwks_uri} is not a JWK set")
        except IssuerUnavailable:
            if not self._keys:
                raise
            return
        self._keys = signing_keys(document["keys"])
        self._fetched_at = self._clock()


def signing_keys(entries: list[Any]) -> dict[str | None, PyJWK]:
    """The RSA and P-256 signature keys of a JWK set by key id; encryption keys and any other kind are left out."""
    keys: dict[str | None, PyJWK] = {}
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
            continue
        algorithm = entry.get("alg") or next((alg for alg, kty in KEY_TYPES.items() if kty == entry.get("kty")), None)
        if KEY_TYPES.get(algorithm) != entry.get("kty") or (entry.get("kty") == "EC" and entry.get("crv") != "P-256"):
            continue
        try:
            key = PyJWK(entry, algorithm=algorithm)
        except PyJWKError:
            continue
        kid = entry.get("kid")
        keys[kid if isinstance(kid, str) else None] = key
    return keys
