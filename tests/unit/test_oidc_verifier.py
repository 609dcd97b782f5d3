"""The OIDC verifier against a locally made RSA key and a fake issuer: what it accepts, and every way a token
can be forged, bent or broken."""

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import RSAAlgorithm

from shared.auth.jwks import IssuerKeys, IssuerUnavailable
from shared.auth.oidc import OidcSettings, OidcVerifier
from shared.auth.tokens import InvalidToken
from shared.domain.access import Principal, Role

ISSUER = "http://issuer.test/realms/child-protection"
JWKS_URI = f"{ISSUER}/protocol/openid-connect/certs"
AUDIENCE = "child-protection-services"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwk(private_key: rsa.RSAPrivateKey, kid: str, **extra: str) -> dict[str, Any]:
    return (
        RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True) | {"kid": kid, "alg": "RS256", "use": "sig"} | extra
    )


class FakeIssuer:
    """Serves the discovery document and a JWK set that a test can change; counts what is asked of it."""

    def __init__(self, *keys: dict[str, Any]) -> None:
        self.keys = list(keys)
        self.asked: list[str] = []

    def __call__(self, url: str) -> Any:
        self.asked.append(url)
        if url == f"{ISSUER}/.well-known/openid-configuration":
            return {"issuer": ISSUER, "jwks_uri": JWKS_URI}
        if url == JWKS_URI:
            return {"keys": self.keys}
        raise IssuerUnavailable(url)


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "c66584c6-6d19-4717-bd98-99cd3883328d",
        "iat": now,
        "exp": now + 300,
        "realm_access": {"roles": ["station", "offline_access"]},
        "scope_code": "140724104",
    }
    return {name: value for name, value in (base | changes).items() if value is not None}


def sign(
    payload: dict[str, Any], key: Any = KEY, kid: str | None = "k1", algorithm: str = "RS256", **header: Any
) -> str:
    headers = ({"kid": kid} if kid is not None else {}) | header
    return jwt.encode(payload, key, algorithm=algorithm, headers=headers)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    return f"{signing_input}.{b64(signature)}"


@pytest.fixture
def issuer() -> FakeIssuer:
    return FakeIssuer(jwk(KEY, "k1"), {"kty": "RSA", "use": "enc", "kid": "enc-1", "n": "xyz", "e": "AQAB"})


@pytest.fixture
def verifier(issuer: FakeIssuer) -> OidcVerifier:
    return OidcVerifier(OidcSettings(issuer=ISSUER, audience=AUDIENCE), fetch=issuer)


def test_a_good_token_is_the_principal_of_its_realm_role_and_scope(verifier):
    assert verifier.verify(sign(claims())) == Principal(
        subject="c66584c6-6d19-4717-bd98-99cd3883328d", role=Role.STATION, scope="140724104"
    )


def test_an_audience_list_that_names_the_services_and_a_token_without_scope_are_accepted(verifier):
    principal = verifier.verify(
        sign(claims(aud=["account", AUDIENCE], scope_code=None, realm_access={"roles": ["admin"]}))
    )
    assert (principal.role, principal.scope) == (Role.ADMIN, "")


def test_claim_names_are_settings(issuer):
    settings = OidcSettings(issuer=ISSUER, audience=AUDIENCE, roles_claim="roles", scope_claim="division")
    token = sign(claims(realm_access=None, scope_code=None, roles=["committee"], division="1407"))
    assert OidcVerifier(settings, fetch=issuer).verify(token).scope == "1407"


@pytest.mark.parametrize(
    "changes",
    [
        {"exp": 253402300799},  # the year 9999
        {"iss": "http://issuer.test/realms/another"},
        {"iss": None},
        {"aud": "account"},
        {"aud": None},
        {"aud": [1, 2]},
        {"exp": None},
        {"iat": None},
        {"sub": None},
        {"sub": ""},
        {"exp": "tomorrow"},
        {"realm_access": None},
        {"realm_access": {"roles": ["offline_access"]}},  # no role of this system
        {"realm_access": {"roles": ["station", "admin"]}},  # two: which one?
        {"realm_access": {"roles": "admin"}},
        {"scope_code": ["140724104", "140724105"]},
        {"scope_code": 140724104},
        {"scope_code": "1407 OR 1"},
        {"scope_code": "１４０７"},  # full-width digits
        {"scope_code": "1" * 13},
    ],
)
def test_a_token_with_a_bad_claim_is_refused(verifier, changes):
    with pytest.raises(InvalidToken):
        verifier.verify(sign(claims(**changes)))


@pytest.mark.parametrize(
    "offsets",
    [
        {"exp": -120, "iat": -420},  # expired, beyond the leeway
        {"nbf": 600},  # not yet valid
        {"iat": 600, "exp": 900},  # issued in the future
        {"exp": 9999 * 86400},  # made to last far too long
    ],
)
def test_a_token_whose_times_are_wrong_now_is_refused(verifier, offsets):
    """Offsets from the moment the test runs, not from when the tests were collected."""
    now = int(time.time())
    with pytest.raises(InvalidToken):
        verifier.verify(sign(claims(**{name: now + offset for name, offset in offsets.items()})))


def test_a_token_signed_by_another_key_under_the_issuers_key_id_is_refused(verifier):
    with pytest.raises(InvalidToken):
        verifier.verify(sign(claims(), key=OTHER_KEY))


def test_a_changed_payload_breaks_the_signature(verifier):
    header, _, signature = sign(claims()).split(".")
    payload = b64(json.dumps(claims(realm_access={"roles": ["admin"]}, scope_code="")).encode())
    with pytest.raises(InvalidToken):
        verifier.verify(f"{header}.{payload}.{signature}")


def test_alg_none_is_refused(verifier):
    with pytest.raises(InvalidToken):
        verifier.verify(hand_made({"alg": "none", "kid": "k1"}, claims()))
    with pytest.raises(InvalidToken):
        verifier.verify(hand_made({"alg": "None", "kid": "k1"}, claims()))


def test_hs256_keyed_with_the_issuers_public_key_is_refused(verifier):
    public_pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "kid": "k1", "typ": "JWT"}
    unsigned = hand_made(header, claims()).rsplit(".", 1)[0]
    signature = hmac.new(public_pem, unsigned.encode(), hashlib.sha256).digest()
    with pytest.raises(InvalidToken):
        verifier.verify(f"{unsigned}.{b64(signature)}")


def test_other_algorithms_even_with_the_right_key_are_refused(verifier):
    with pytest.raises(InvalidToken):
        verifier.verify(sign(claims(), algorithm="RS512"))
    with pytest.raises(InvalidToken):
        verifier.verify(sign(claims(), key=ec.generate_private_key(ec.SECP256R1()), algorithm="ES256"))


def test_keys_named_in_the_tokens_headers_are_never_fetched(verifier, issuer):
    token = sign(claims(), key=OTHER_KEY, kid="attacker", jku="http://attacker.test/jwks")
    with pytest.raises(InvalidToken):
        verifier.verify(token)
    assert not [url for url in issuer.asked if "attacker" in url]


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "a.b",
        "a.b.c",
        "a.b.c.d",
        "....",
        "e30.e30.",
        "eyJhbGciOiJSUzI1NiJ9.!!!.abc",
        "x" * 10000,
        "日本.語.x",
    ],
)
def test_malformed_tokens_are_refused(verifier, token):
    with pytest.raises(InvalidToken):
        verifier.verify(token)


def test_a_header_that_is_not_an_object_or_a_kid_that_is_not_text_is_refused(verifier):
    with pytest.raises(InvalidToken):
        verifier.verify(f"{b64(b'[1]')}.{b64(json.dumps(claims()).encode())}.")
    with pytest.raises(InvalidToken):
        verifier.verify(hand_made({"alg": "RS256", "kid": 7}, claims(), b"x" * 256))


def test_a_rotated_key_is_fetched_once_and_unknown_key_ids_do_not_hammer_the_issuer(issuer):
    now = [1000.0]
    keys = IssuerKeys(ISSUER, fetch=issuer, clock=lambda: now[0], refetch_after=30)
    assert keys.signing_key("k1")
    issuer.keys.append(jwk(OTHER_KEY, "k2"))
    now[0] += 31
    assert keys.signing_key("k2")  # not seen before: fetched again
    asked = len(issuer.asked)
    for forged in ("x1", "x2", "x3"):  # just fetched: not again for 30 s
        with pytest.raises(InvalidToken):
            keys.signing_key(forged)
    assert len(issuer.asked) == asked
    now[0] += 31
    for forged in ("x4", "x5", "x6"):
        with pytest.raises(InvalidToken):
            keys.signing_key(forged)
    assert len(issuer.asked) == asked + 1  # one refetch for all three


def test_a_token_without_kid_uses_the_only_key(verifier):
    assert verifier.verify(sign(claims(), kid=None)).role == Role.STATION


def test_an_issuer_whose_discovery_names_another_issuer_is_not_trusted():
    def fetch(url: str) -> Any:
        return {"issuer": "http://elsewhere.test", "jwks_uri": JWKS_URI}

    verifier = OidcVerifier(OidcSettings(issuer=ISSUER), fetch=fetch)
    with pytest.raises(IssuerUnavailable):
        verifier.verify(sign(claims()))


def test_an_unreachable_issuer_is_unavailable_and_is_not_asked_again_at_once():
    asked: list[str] = []

    def fetch(url: str) -> Any:
        asked.append(url)
        raise IssuerUnavailable(url)

    verifier = OidcVerifier(OidcSettings(issuer=ISSUER), fetch=fetch)
    for _ in range(3):
        with pytest.raises(IssuerUnavailable):
            verifier.verify(sign(claims()))
    assert len(asked) == 1


def test_an_es256_key_of_the_issuer_verifies_es256_tokens_only():
    ec_key = ec.generate_private_key(ec.SECP256R1())
    published = jwt.algorithms.ECAlgorithm.to_jwk(ec_key.public_key(), as_dict=True) | {"kid": "e1", "use": "sig"}
    verifier = OidcVerifier(OidcSettings(issuer=ISSUER, audience=AUDIENCE), fetch=FakeIssuer(published))
    assert verifier.verify(sign(claims(), key=ec_key, kid="e1", algorithm="ES256")).role is Role.STATION
    with pytest.raises(InvalidToken):
        verifier.verify(sign(claims(), key=KEY, kid="e1"))  # RS256 under the EC key's id


def test_the_persons_name_and_a_platform_client_come_from_their_claims(verifier):
    principal = verifier.verify(sign(claims(name="王芳", platform_client="jz12345")))
    assert (principal.name, principal.platform_client) == ("王芳", "jz12345")
    assert verifier.verify(sign(claims(preferred_username="wangfang"))).name == "wangfang"
    chinese = claims(name="丽 王", given_name="丽", family_name="王")
    assert verifier.verify(sign(chinese)).name == "王丽"
    with pytest.raises(InvalidToken):
        verifier.verify(sign(claims(platform_client=["a", "b"])))
