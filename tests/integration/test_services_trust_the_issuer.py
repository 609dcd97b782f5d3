"""A service configured with the real Keycloak as its issuer: a signed-in person's token opens it and the audit
names them; outside development the development key opens nothing."""

import pytest

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared.domain.access import Role
from tests.auth import CHILD_KEY_SECRET, bearer, service_settings
from tests.factories import report_body
from tests.integration.conftest import serving
from tests.keycloak_sign_in import demo_users, sign_in

pytestmark = pytest.mark.infra


def the_demo(role: Role):
    return next(user for user in demo_users() if user.role == role.value)


async def test_intake_trusts_the_issuers_tokens_and_the_audit_names_the_person(
    keycloak, infrastructure, intake_database
):
    settings = service_settings(
        IntakeSettings,
        await intake_database(),
        infrastructure.kafka_bootstrap_servers,
        environment="test",
        oidc_issuer=keycloak.issuer,
        child_key_secret=CHILD_KEY_SECRET,
    )
    operator, admin = the_demo(Role.OPERATOR), the_demo(Role.ADMIN)
    signed_in = {"Authorization": f"Bearer {sign_in(keycloak, operator.username, operator.password)['access_token']}"}
    admin_in = {"Authorization": f"Bearer {sign_in(keycloak, admin.username, admin.password)['access_token']}"}
    async with serving(create_app(settings), headers=signed_in) as intake:
        body = report_body(child={"division_code": "140724104", "age": 9})
        filed = await intake.post("/v1/reports", json=body)
        assert filed.status_code == 201, filed.text
        assert (await intake.get(f"/v1/reports/{filed.json()['report_id']}")).status_code == 200

        development = await intake.get("/v1/reports", headers=bearer(Role.ADMIN, "", "admin-1"))
        assert development.status_code == 401  # the development key is trusted in development only

        trail = await intake.get("/v1/audit", params={"case_id": filed.json()["report_id"]}, headers=admin_in)
        assert trail.status_code == 200, trail.text
        assert [(entry["action"], entry["actor_name"]) for entry in trail.json()] == [("read", "王丽")]
