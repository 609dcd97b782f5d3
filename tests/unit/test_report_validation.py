"""The intake API refuses bad reports before touching the database, naming each bad field in Chinese
with a stable code, and never echoing what was submitted."""

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import ValidationError

from services.intake.app import create_app
from services.intake.entrypoints.http.report_request import ReportIn
from services.intake.settings import IntakeSettings
from shared.domain.access import Role
from tests.auth import CHILD_KEY_SECRET, ENCRYPTION_KEY, JWT_SECRET, bearer, with_default_scopes
from tests.factories import VALID_CHILD_ID, report_body


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    # No lifespan: nothing connects, so any request that reached the database would fail loudly.
    settings = IntakeSettings(
        database_url="postgresql://nobody@127.0.0.1:1/none",
        jwt_secret=JWT_SECRET,
        encryption_key=ENCRYPTION_KEY,
        child_key_secret=CHILD_KEY_SECRET,
        environment="development",
    )
    transport = httpx.ASGITransport(app=with_default_scopes(create_app(settings)))
    async with httpx.AsyncClient(transport=transport, base_url="http://intake", headers=bearer()) as client:
        yield client


async def errors_of(client: httpx.AsyncClient, body: dict) -> dict[str, str]:
    response = await client.post("/v1/reports", json=body)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert all(error["message"] for error in errors)
    return {error["field"]: error["code"] for error in errors}


async def test_every_bad_field_is_named_by_its_path(client):
    body = report_body(
        channel="fax",
        child={"division_code": "14072", "age": 19, "id_number": "140724201503150028", "status": ["tall"]},
        reporter={"phone": "12345", "institution_type": "bank"},
        concerns=["unknown"],
        narrative="",
    )
    assert await errors_of(client, body) == {
        "channel": "enum",
        "child.division_code": "string_pattern_mismatch",
        "child.age": "less_than_equal",
        "child.id_number": "id_number_checksum",
        "child.status.0": "enum",
        "reporter.phone": "phone_format",
        "reporter.institution_type": "enum",
        "concerns.0": "enum",
        "narrative": "string_too_short",
    }


async def test_messages_are_in_chinese(client):
    response = await client.post("/v1/reports", json=report_body(child={"id_number": "123"}))
    [error] = response.json()["errors"]
    assert error == {
        "field": "child.id_number",
        "code": "id_number_format",
        "message": "身份证号码不正确（18位，末位校验码须正确）",
    }


@pytest.mark.parametrize(
    ("child", "field", "code"),
    [
        ({"birth_date": "2000-01-01"}, "child.birth_date", "not_a_minor"),
        ({"birth_date": "2999-01-01"}, "child.birth_date", "future_date"),
        ({"id_number": "11010519491231002X"}, "child.id_number", "not_a_minor"),
        ({"id_number": VALID_CHILD_ID, "birth_date": "2015-03-16"}, "child.birth_date", "birth_date_mismatch"),
    ],
)
async def test_the_child_must_be_a_minor_on_the_report_date(client, child, field, code):
    assert await errors_of(client, report_body(child=child)) == {field: code}


async def test_the_report_cannot_come_from_the_future(client):
    assert await errors_of(client, report_body(received_at="2999-01-01T00:00:00+08:00")) == {
        "received_at": "future_date"
    }


@pytest.mark.parametrize(
    ("reporter", "field", "code"),
    [
        ({"anonymous": True, "name": "李四"}, "reporter.anonymous", "anonymous_with_identity"),
        (
            {"anonymous": True, "consents_to_share_identity": True},
            "reporter.consents_to_share_identity",
            "anonymous_with_consent",
        ),
        ({"mandatory_reporter": True}, "reporter.institution_type", "missing"),
    ],
)
async def test_reporter_rules(client, reporter, field, code):
    assert await errors_of(client, report_body(reporter=reporter)) == {field: code}


async def test_a_report_needs_at_least_one_concern_and_no_repeats(client):
    assert await errors_of(client, report_body(concerns=[])) == {"concerns": "too_short"}
    assert await errors_of(client, report_body(concerns=["neglect", "neglect"])) == {"concerns": "duplicate_codes"}


async def test_text_fields_are_bounded(client):
    body = report_body(narrative="很" * 10_001, child={"name": "名" * 51, "address": "址" * 201})
    assert await errors_of(client, body) == {
        "narrative": "string_too_long",
        "child.name": "string_too_long",
        "child.address": "string_too_long",
    }


async def test_unknown_fields_are_refused(client):
    assert await errors_of(client, report_body(reporter={"surprise": 1})) == {"reporter.surprise": "extra_forbidden"}


async def test_errors_never_echo_what_was_submitted(client):
    body = report_body(child={"id_number": "14072420150315002Y", "name": "张小明" * 20}, reporter={"phone": "1380013"})
    response = await client.post("/v1/reports", json=body)
    assert response.status_code == 422
    for secret in ("14072420150315002Y", "张小明", "1380013"):
        assert secret not in response.text


async def test_no_token_is_401_and_a_station_may_not_file_reports(client):
    response = await client.post("/v1/reports", json=report_body(), headers={"Authorization": ""})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    forged = await client.post("/v1/reports", json=report_body(), headers={"Authorization": "Bearer abc.def.ghi"})
    assert forged.status_code == 401
    station = await client.post("/v1/reports", json=report_body(), headers=bearer(Role.STATION, "140724104"))
    assert station.status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"child": {"age": "7"}}, "child.age", "int_type"),
        ({"child": {"age": 7.0}}, "child.age", "int_type"),
        ({"child": {"age": True}}, "child.age", "int_type"),
        ({"child": {"age": 10**30}}, "child.age", "less_than_equal"),
        ({"immediate_danger": 1}, "immediate_danger", "bool_type"),
        ({"reporter": {"anonymous": "true"}}, "reporter.anonymous", "bool_type"),
        ({"child": {"birth_date": 1_700_000_000}}, "child.birth_date", "date_type"),
        ({"received_at": 1_700_000_000}, "received_at", "date_type"),
        ({"received_at": 1e308}, "received_at", "date_type"),
    ],
)
async def test_json_types_are_strict(client, overrides, field, code):
    assert await errors_of(client, report_body(**overrides)) == {field: code}


@pytest.mark.parametrize(
    ("received_at", "code"),
    [
        ("0001-01-01T00:00:00-14:00", "date_too_early"),
        ("0001-01-01T00:00:00+14:00", "date_out_of_range"),
        ("9999-12-31T23:59:59-14:00", "date_out_of_range"),
        ("1999-12-31T23:59:59+08:00", "date_too_early"),
        ("2001-01-01T00:00:00", "received_too_long_ago"),
    ],
)
async def test_a_call_time_outside_the_window_is_refused(client, received_at, code):
    assert await errors_of(client, report_body(received_at=received_at)) == {"received_at": code}


def test_the_request_model_refuses_control_characters_built_in_code():
    """The request guard answers them for every JSON body; the model refuses them too, for callers in code."""
    for field in ("name", "address", "hukou_address"):
        with pytest.raises(ValidationError) as refused:
            ReportIn.model_validate(report_body(child={field: "王\x00小花"}))
        assert refused.value.errors()[0]["type"] == "control_characters"
    with pytest.raises(ValidationError):
        ReportIn.model_validate(report_body(reporter={"relation": "老师\x07"}))
    assert ReportIn.model_validate(report_body(narrative="第一行\n\t第二行\r\n")).narrative
