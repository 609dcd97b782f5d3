"""The 12345 platform, a machine: it gets a token from the real Keycloak by client credentials and files a report at
intake, which records the platform client that filed it and the area of its hotline centre."""

from uuid import UUID

import asyncpg
import httpx
import pytest

from deploy.local.keycloak_demo import PLATFORM_CLIENT, client_secret
from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from tests.auth import CHILD_KEY_SECRET, service_settings
from tests.factories import report_body
from tests.integration.conftest import serving

pytestmark = pytest.mark.infra


def platform_token(keycloak) -> str:
    """Client credentials in the Authorization header (client_secret_basic), as a machine client sends them."""
    token_endpoint = f"{keycloak.issuer}/protocol/openid-connect/token"
    credentials = (PLATFORM_CLIENT, client_secret(keycloak))
    answer = httpx.post(token_endpoint, data={"grant_type": "client_credentials"}, auth=credentials)
    answer.raise_for_status()
    return answer.json()["access_token"]


async def test_the_platform_files_a_report_with_its_client_credentials(keycloak, infrastructure, intake_database):
    database_url = await intake_database()
    settings = service_settings(
        IntakeSettings,
        database_url,
        infrastructure.kafka_bootstrap_servers,
        environment="test",
        oidc_issuer=keycloak.issuer,
        child_key_secret=CHILD_KEY_SECRET,
    )
    headers = {"Authorization": f"Bearer {platform_token(keycloak)}"}
    async with serving(create_app(settings), headers=headers) as intake:
        body = report_body(child={"division_code": "140724104", "age": 9})
        filed = await intake.post("/v1/reports", json=body)
        assert filed.status_code == 201, filed.text
        read = await intake.get(f"/v1/reports/{filed.json()['report_id']}")
        assert read.status_code == 200, read.text  # a report of its area, which it took
    connection = await asyncpg.connect(database_url)
    try:
        row = await connection.fetchrow(
            "SELECT platform_client, hotline_area FROM reports WHERE report_id = $1", UUID(filed.json()["report_id"])
        )
    finally:
        await connection.close()
    assert dict(row) == {"platform_client": PLATFORM_CLIENT, "hotline_area": "1407"}
