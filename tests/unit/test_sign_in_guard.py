"""Which tokens a service trusts in each environment, the production guard, and the wait after repeated failed
authentication."""

from datetime import timedelta
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI
from pydantic import ValidationError

from services.intake.settings import IntakeSettings
from shared.auth.authenticator import Authenticator
from shared.auth.dependencies import FAILURES_ALLOWED, authenticate
from shared.auth.tokens import InvalidToken, issue_token
from shared.domain.access import Principal, Role
from tests.auth import CHILD_KEY_SECRET, ENCRYPTION_KEY, JWT_SECRET, token
from tests.unit.test_oidc_verifier import AUDIENCE, ISSUER, KEY, FakeIssuer, claims, jwk, sign

COMPLETE = {
    "database_url": "postgresql://x/y",
    "encryption_key": ENCRYPTION_KEY,
    "child_key_secret": CHILD_KEY_SECRET,
    "oidc_issuer": ISSUER,
}


def settings(**values: object) -> IntakeSettings:
    return IntakeSettings(**(COMPLETE | values))


def test_production_starts_with_an_issuer_and_its_own_secrets():
    assert settings(environment="production").environment == "production"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"encryption_key": None}, "encryption_key is left at its development default"),
        ({"child_key_secret": None}, "child_key_secret is left at its development default"),
        ({"child_key_secret": "x"}, "child_key_secret must be at least 32 characters long"),
        ({"oidc_issuer": None}, "production needs OIDC_ISSUER"),
        ({"jwt_secret": JWT_SECRET}, "JWT_SECRET is the development signing key"),
        ({"oidc_issuer": "ftp://issuer"}, "oidc_issuer"),
    ],
)
def test_production_refuses_to_start_without_what_it_needs(values, message):
    chosen = {name: value for name, value in (COMPLETE | values).items() if value is not None}
    with pytest.raises(ValidationError, match=message):
        IntakeSettings(**chosen, environment="production")


def test_a_plain_environment_counts_and_the_stricter_wins(monkeypatch):
    monkeypatch.setenv("ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="production needs OIDC_ISSUER"):
        IntakeSettings(**(COMPLETE | {"oidc_issuer": None}), environment="development")
    monkeypatch.setenv("ENVIRONMENT", "prod")
    with pytest.raises(ValidationError, match="ENVIRONMENT must be one of"):
        settings()
    monkeypatch.setenv("ENVIRONMENT", "development")
    assert settings(environment="production").environment == "production"


async def test_the_development_key_is_trusted_in_development_only():
    development = Authenticator(settings(environment="development", jwt_secret=JWT_SECRET))
    assert (await development.principal(token(Role.STATION, "140724104", name="李梅"))).name == "李梅"
    for environment in ("test", "production"):
        with pytest.raises(InvalidToken):
            await Authenticator(settings(environment=environment)).principal(token())


async def test_a_development_token_made_to_last_too_long_or_with_a_list_for_scope_is_refused():
    development = Authenticator(settings(environment="development", jwt_secret=JWT_SECRET))
    with pytest.raises(InvalidToken):
        await development.principal(issue_token(JWT_SECRET, "s", Role.ADMIN, "", timedelta(days=3650)))
    listed = issue_token(JWT_SECRET, "s", Role.STATION, ["140724104"], timedelta(hours=1))  # type: ignore[arg-type]
    with pytest.raises(InvalidToken):
        await development.principal(listed)


async def test_tokens_of_the_configured_issuer_are_trusted_and_remembered():
    issuer = FakeIssuer(jwk(KEY, "k1"))
    trusting = Authenticator(settings(environment="production"), fetch=issuer)
    signed = sign(claims(name="王芳"))
    assert await trusting.principal(signed) == Principal(
        "c66584c6-6d19-4717-bd98-99cd3883328d", Role.STATION, "140724104", "王芳"
    )
    asked = len(issuer.asked)
    await trusting.principal(signed)
    assert len(issuer.asked) == asked
    assert trusting._issuer.settings.audience == AUDIENCE


async def test_repeated_failed_authentication_from_one_client_is_told_to_wait_and_good_tokens_still_pass():
    app = FastAPI()

    @app.get("/who")
    async def who(principal: Annotated[Principal, Depends(authenticate)]) -> str:
        return principal.subject

    app.state.runtime = type("Runtime", (), {"settings": settings(environment="development", jwt_secret=JWT_SECRET)})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
        bad = {"Authorization": "Bearer not.a.token"}
        answers = [(await client.get("/who", headers=bad)).status_code for _ in range(FAILURES_ALLOWED)]
        assert answers == [401] * FAILURES_ALLOWED
        waited = await client.get("/who", headers=bad)
        assert waited.status_code == 429 and 1 <= int(waited.headers["Retry-After"]) <= 60
        good = await client.get("/who", headers={"Authorization": f"Bearer {token()}"})
        assert good.status_code == 200  # a colleague behind the same address still gets in
