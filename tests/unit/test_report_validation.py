"""The intake API refuses bad reports before touching the database, naming each bad field."""

from collections.abc import AsyncIterator

import httpx
import pytest

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from tests.factories import report_body


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    # No lifespan: nothing connects, so any request that reached the database would fail loudly.
    app = create_app(IntakeSettings(database_url="postgresql://nobody@127.0.0.1:1/none"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake") as client:
        yield client


async def errors_of(client: httpx.AsyncClient, body: dict) -> dict[str, str]:
    response = await client.post("/v1/reports", json=body)
    assert response.status_code == 422
    return {error["field"]: error["code"] for error in response.json()["errors"]}


async def test_every_bad_field_is_named_by_its_path(client):
    body = report_body(child={"division_code": "14072", "age": 19}, concerns=["unknown"], narrative="")
    assert await errors_of(client, body) == {
        "child.division_code": "string_pattern_mismatch",
        "child.age": "less_than_equal",
        "concerns.0": "enum",
        "narrative": "string_too_short",
    }


async def test_a_report_needs_at_least_one_concern(client):
    assert await errors_of(client, report_body(concerns=[])) == {"concerns": "too_short"}


async def test_the_narrative_is_bounded(client):
    assert await errors_of(client, report_body(narrative="很" * 10_001)) == {"narrative": "string_too_long"}


async def test_unknown_fields_are_refused(client):
    assert await errors_of(client, report_body(reporter={"mandatory_reporter": True, "surprise": 1})) == {
        "reporter.surprise": "extra_forbidden"
    }


async def test_errors_never_echo_what_was_submitted(client):
    secret = "张小明 13800138000"
    response = await client.post("/v1/reports", json=report_body(child={"division_code": secret}))
    assert response.status_code == 422
    assert secret not in response.text
    assert "13800138000" not in response.text
