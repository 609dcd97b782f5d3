"""The realm as code and the demo users, read as files; and how the local launcher starts Keycloak."""

import csv
import json
from pathlib import Path

from deploy.local.keycloak import REALM_FILE, LocalKeycloak, jdbc
from deploy.local.keycloak_demo import DEMO_USERS, PAGES_CLIENT, PLATFORM_CLIENT
from deploy.local.process import REPO_ROOT
from shared.domain.access import Role

REALM = json.loads(REALM_FILE.read_text(encoding="utf-8"))
DEMO = json.loads(DEMO_USERS.read_text(encoding="utf-8"))
CLIENTS = {client["clientId"]: client for client in REALM["clients"]}


def test_the_realm_roles_are_the_systems_roles():
    assert sorted(role["name"] for role in REALM["roles"]["realm"]) == sorted(role.value for role in Role)


def test_the_pages_client_is_public_and_uses_the_code_flow_with_pkce_only():
    pages = CLIENTS[PAGES_CLIENT]
    assert pages["publicClient"] and pages["standardFlowEnabled"]
    assert not pages["implicitFlowEnabled"] and not pages["directAccessGrantsEnabled"]
    assert pages["attributes"]["pkce.code.challenge.method"] == "S256"
    assert all(uri.startswith(("http://127.0.0.1:800", "http://localhost:800")) for uri in pages["redirectUris"])


def test_the_platform_client_is_confidential_with_client_credentials_only_and_no_secret_in_the_file():
    platform = CLIENTS[PLATFORM_CLIENT]
    assert not platform["publicClient"] and platform["serviceAccountsEnabled"]
    assert not platform["standardFlowEnabled"] and not platform["directAccessGrantsEnabled"]
    assert "secret" not in platform


def test_every_client_puts_the_scope_code_and_the_services_audience_in_the_access_token():
    for client in CLIENTS.values():
        mappers = {mapper["protocolMapper"]: mapper["config"] for mapper in client["protocolMappers"]}
        scope = mappers["oidc-usermodel-attribute-mapper"]
        assert (scope["user.attribute"], scope["claim.name"], scope["access.token.claim"]) == (
            "scope",
            "scope_code",
            "true",
        )
        assert mappers["oidc-audience-mapper"]["included.custom.audience"] == "child-protection-services"


def test_only_the_platform_clients_tokens_name_it_as_the_platform_client():
    claims = {
        client_id: [
            m["config"] for m in client["protocolMappers"] if m["config"].get("claim.name") == "platform_client"
        ]
        for client_id, client in CLIENTS.items()
    }
    [platform] = claims.pop(PLATFORM_CLIENT)
    assert (platform["claim.value"], platform["access.token.claim"], platform["id.token.claim"]) == (
        PLATFORM_CLIENT,
        "true",
        "false",
    )
    assert not any(claims.values())


def test_tokens_are_short_lived_and_passwords_are_guarded():
    assert REALM["accessTokenLifespan"] == 300
    assert REALM["bruteForceProtected"] and REALM["failureFactor"] <= 5
    assert "length(12)" in REALM["passwordPolicy"] and "notUsername" in REALM["passwordPolicy"]
    assert REALM["sslRequired"] == "external"
    assert [user["username"] for user in REALM["users"]] == [f"service-account-{PLATFORM_CLIENT}"]  # no people


def test_the_demo_has_a_user_for_every_role_in_a_unit_of_the_demo_directory_with_hashed_passwords_only():
    groups = {f"/{group['name']}": group for group in DEMO["partialImport"]["groups"]}
    with open(REPO_ROOT / "reference" / "demo_stations.csv", encoding="utf-8") as stations:
        known = {row["code"] for row in csv.DictReader(stations)} | {"1407", "4420"}  # and the committees' areas
    with open(REPO_ROOT / "reference" / "demo_village_directors.csv", encoding="utf-8") as directors:
        known |= {row["village_code"] for row in csv.DictReader(directors)}
    roles = []
    for user in DEMO["partialImport"]["users"]:
        (group,) = (groups[path] for path in user["groups"])
        roles += group["realmRoles"]
        assert set(group.get("attributes", {}).get("scope", [])) <= known
        (credential,) = user["credentials"]
        assert "value" not in credential and "pbkdf2" in credential["credentialData"]
    assert sorted(roles) == sorted(role.value for role in Role)


def test_the_database_url_becomes_jdbc_and_its_password_stays_out_of_the_command_line():
    url = "postgresql://kc%40user:p%3Ass@db.internal:6543/keycloak"
    assert jdbc(url) == ("jdbc:postgresql://db.internal:6543/keycloak", "kc@user", "p:ss")
    keycloak = LocalKeycloak(Path("/nonexistent"), url, port=18080, management_port=18081)
    options = keycloak.start_options()
    assert options[:3] == ["start", "--optimized", "--import-realm"]
    assert "--http-port=18080" in options and "--http-management-port=18081" in options
    assert not [option for option in options if "p:ss" in option]
