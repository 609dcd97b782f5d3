"""Keycloak with the realm in deploy/keycloak, started once for the run: every demo user of the README signs in
through the pages' client (authorization code with PKCE, through Keycloak's real login form) and the 12345
platform gets a token with its client credentials; the OIDC verifier makes each the right Principal, and
refuses what is not an access token for the services."""

import httpx
import pytest

from deploy.local.keycloak_demo import PAGES_CLIENT, PLATFORM_CLIENT, admin_client, client_secret
from shared.auth.oidc import OidcSettings, OidcVerifier
from shared.auth.tokens import InvalidToken
from shared.domain.access import Role
from tests.keycloak_sign_in import PAGE, SignInRefused, demo_users, sign_in

pytestmark = pytest.mark.infra

DEMO_USERS = demo_users()


def verifier_for(keycloak) -> OidcVerifier:
    return OidcVerifier(OidcSettings(issuer=keycloak.issuer))


def test_the_readme_lists_a_demo_user_for_every_role():
    assert sorted(user.role for user in DEMO_USERS) == sorted(role.value for role in Role)


@pytest.mark.parametrize("user", DEMO_USERS, ids=[user.username for user in DEMO_USERS])
def test_a_demo_user_signs_in_with_pkce_and_is_the_principal_of_its_role_and_scope(keycloak, user):
    tokens = sign_in(keycloak, user.username, user.password)
    principal = verifier_for(keycloak).verify(tokens["access_token"])
    assert (principal.role, principal.scope) == (Role(user.role), user.scope)
    assert principal.subject  # Keycloak's id of the person, stable across sign-ins
    claims = verifier_for(keycloak).verified_claims(tokens["access_token"])
    assert "manage-account" in claims["resource_access"]["account"]["roles"]  # their account page opens


def test_the_access_token_lasts_five_minutes_and_the_refresh_token_renews_it(keycloak):
    user = DEMO_USERS[0]
    tokens = sign_in(keycloak, user.username, user.password)
    claims = verifier_for(keycloak).verified_claims(tokens["access_token"])
    assert claims["exp"] - claims["iat"] == 300  # expires_in is counted from the reply, so it may read 299
    renewed = httpx.post(
        f"{keycloak.issuer}/protocol/openid-connect/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": PAGES_CLIENT},
    )
    renewed.raise_for_status()
    verifier = verifier_for(keycloak)
    assert verifier.verify(renewed.json()["access_token"]) == verifier.verify(tokens["access_token"])


def test_the_id_token_and_the_refresh_token_are_not_access_tokens_for_the_services(keycloak):
    user = DEMO_USERS[0]
    tokens = sign_in(keycloak, user.username, user.password)
    verifier = verifier_for(keycloak)
    for other in (tokens["id_token"], tokens["refresh_token"]):
        with pytest.raises(InvalidToken):
            verifier.verify(other)


def test_a_wrong_password_gets_no_code(keycloak):
    with pytest.raises(SignInRefused):
        sign_in(keycloak, DEMO_USERS[0].username, "Not-The-Password-1")


def test_the_pages_client_sends_nobody_to_an_unregistered_address_and_insists_on_pkce(keycloak):
    query = {"response_type": "code", "client_id": PAGES_CLIENT, "scope": "openid"}
    auth = f"{keycloak.issuer}/protocol/openid-connect/auth"
    elsewhere = httpx.get(auth, params=query | {"redirect_uri": "http://attacker.test/", "code_challenge": "x" * 43})
    assert elsewhere.status_code == 400 and "attacker.test" not in elsewhere.headers.get("location", "")
    without_pkce = httpx.get(auth, params=query | {"redirect_uri": PAGE})
    sent_back = without_pkce.headers.get("location", "")  # to the page, with the error: no login form
    assert sent_back.startswith(PAGE) and "error=invalid_request" in sent_back and "code_challenge_method" in sent_back


def test_the_platform_gets_an_operator_token_by_client_credentials(keycloak):
    answer = httpx.post(
        f"{keycloak.issuer}/protocol/openid-connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": PLATFORM_CLIENT,
            "client_secret": client_secret(keycloak),
        },
    )
    answer.raise_for_status()
    assert "refresh_token" not in answer.json()
    principal = verifier_for(keycloak).verify(answer.json()["access_token"])
    assert (principal.role, principal.scope) == (Role.OPERATOR, "1407")


def test_the_platform_with_a_wrong_secret_gets_nothing(keycloak):
    answer = httpx.post(
        f"{keycloak.issuer}/protocol/openid-connect/token",
        data={"grant_type": "client_credentials", "client_id": PLATFORM_CLIENT, "client_secret": "guess"},
    )
    assert answer.status_code == 401


def test_a_token_of_another_realm_on_the_same_server_is_refused(keycloak):
    answer = httpx.post(
        f"{keycloak.url}/realms/master/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": "admin-cli",
            "username": "admin",
            "password": keycloak.admin_password(),
        },
    )
    answer.raise_for_status()
    with pytest.raises(InvalidToken):
        verifier_for(keycloak).verify(answer.json()["access_token"])


def new_user(keycloak, username: str, password: str) -> httpx.Response:
    person = {"username": username, "enabled": True, "firstName": "试", "lastName": "测"}
    person["email"] = f"{username}@t.invalid"
    credentials = [{"type": "password", "value": password}]
    with admin_client(keycloak) as admin:
        return admin.post("users", json=person | {"credentials": credentials})


def test_a_weak_password_is_refused_by_the_policy(keycloak):
    for weak in ("Short-1a", "all-lower-case-1", "ALL-UPPER-CASE-1", "No-Digits-Here-At-All"):
        assert new_user(keycloak, "policy-test", weak).status_code == 400


def test_five_wrong_passwords_lock_the_account(keycloak):
    new_user(keycloak, "lockout-test", "Lockout-Test-2026").raise_for_status()
    sign_in(keycloak, "lockout-test", "Lockout-Test-2026")
    for attempt in range(5):
        with pytest.raises(SignInRefused):
            sign_in(keycloak, "lockout-test", f"Wrong-Guess-{attempt}00")
    with pytest.raises(SignInRefused):
        sign_in(keycloak, "lockout-test", "Lockout-Test-2026")
