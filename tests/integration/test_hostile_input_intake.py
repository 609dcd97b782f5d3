"""Hostile input to intake's endpoints, in-process on real PostgreSQL and Kafka: a bad field of a report (the
reporter's relation and institution, the 户籍 division, the child's status, the call time, the 12345 ticket, the
channel), a bad header or parameter is a 422 naming it and stores no report, key or outbox row; a bad item of a
batch is refused naming its fields while nothing of it is stored; a caller whose role or scope may not is answered
403 or 404, never with data."""

import json

import asyncpg
import pytest

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared.domain.access import Role
from shared.request_guard import unstorable_fields
from tests.auth import bearer, service_settings
from tests.factories import report_body
from tests.integration.conftest import serving

OPERATOR = bearer(Role.OPERATOR, "1407", "operator-1")
TABLES = ("reports", "outbox", "idempotency_keys")
DEEP = '{"narrative": ' + "[" * 100_000 + "]" * 100_000 + "}"
BAD_TIMES = [
    "0001-01-01", "0001-01-01T00:00:00", "0001-01-01T00:00:00+14:00", "9999-12-31", "9999-12-31T23:59:59-14:00",
    "2099-01-01T00:00:00+08:00", "2001-01-01T00:00:00", "2026-02-30T08:00:00", "", "  ", 10**40, 1e308, -1, 0,
    1_700_000_000, "1700000000", True, ["2026-01-01"],
]  # fmt: skip


def reporter(**fields) -> dict:
    return {"reporter": {"name": "李秀英", "phone": "13912345678"} | fields}


def child(**fields) -> dict:
    return {"child": {"division_code": "140724104", "age": 7} | fields}


# (overrides of a good report, the field named)
BAD_FIELDS = [
    *[({"received_at": value}, "received_at") for value in BAD_TIMES],
    (reporter(relation="邻\x00居"), "reporter.relation"),
    (reporter(relation="邻" * 51), "reporter.relation"),
    (reporter(relation=5), "reporter.relation"),
    (reporter(relation=["邻居"]), "reporter.relation"),
    (reporter(institution_type="bank", mandatory_reporter=True), "reporter.institution_type"),
    (reporter(institution_type=None, mandatory_reporter=True), "reporter.institution_type"),
    (reporter(institution_type="school", mandatory_reporter="true"), "reporter.mandatory_reporter"),
    (reporter(institution_name="校" * 101, institution_type="school"), "reporter.institution_name"),
    (reporter(institution_name={"name": "小学"}), "reporter.institution_name"),
    (reporter(anonymous=True), "reporter.anonymous"),
    (reporter(phone="1" * 41), "reporter.phone"),
    (reporter(phone=13912345678), "reporter.phone"),
    (reporter(nickname="x"), "reporter.nickname"),
    ({"reporter": ["李秀英"]}, "reporter"),
    ({"reporter": None}, "reporter"),
    (child(hukou_division_code="999999999"), "child.hukou_division_code"),
    (child(hukou_division_code="14072410"), "child.hukou_division_code"),
    (child(hukou_division_code=140724104), "child.hukou_division_code"),
    (child(hukou_division_code="1" * 10_000), "child.hukou_division_code"),
    (child(hukou_address="址" * 201), "child.hukou_address"),
    (child(status=["orphan", "orphan"]), "child.status"),
    (child(status=["rich"]), "child.status.0"),
    (child(status="orphan"), "child.status"),
    (child(status=[None]), "child.status.0"),
    (child(status={"orphan": True}), "child.status"),
    (child(age=10**40), "child.age"),
    (child(age=-1), "child.age"),
    (child(age=18), "child.age"),
    (child(age=1e308), "child.age"),
    (child(age="7"), "child.age"),
    (child(age=7.0), "child.age"),
    *[(child(birth_date=born, age=None), "child.birth_date") for born in ("0001-01-01", "9999-12-31", 10**40, "")],
    (child(birth_date="2020-01-01", age=None, **{"division_code": "140724104"}) | {"received_at": "2019-12-31"},
     "received_at"),
    ({"child": []}, "child"),
    ({"child": None}, "child"),
    ({"hotline_ticket_id": "GD\x001"}, "hotline_ticket_id"),
    ({"hotline_ticket_id": "G" * 41}, "hotline_ticket_id"),
    ({"hotline_ticket_id": "GD 1"}, "hotline_ticket_id"),
    ({"hotline_ticket_id": ""}, "hotline_ticket_id"),
    ({"hotline_ticket_id": 12345}, "hotline_ticket_id"),
    ({"channel": "carrier_pigeon"}, "channel"),
    ({"channel": None}, "channel"),
    ({"channel": 1}, "channel"),
    ({"concerns": []}, "concerns"),
    ({"concerns": "neglect"}, "concerns"),
    ({"concerns": ["neglect", "neglect"]}, "concerns"),
    ({"narrative": ""}, "narrative"),
    ({"narrative": "   \n\t "}, "narrative"),
    ({"narrative": "述" * 10_001}, "narrative"),
    ({"immediate_danger": "false"}, "immediate_danger"),
]  # fmt: skip


@pytest.fixture(scope="module")
async def database(intake_database) -> str:
    return await intake_database()


@pytest.fixture(scope="module")
async def intake(infrastructure, database):
    kafka = infrastructure.kafka_bootstrap_servers
    settings = service_settings(IntakeSettings, database, kafka, no_referral_after_seconds=3600)
    async with serving(create_app(settings), headers=OPERATOR) as client:
        yield client


async def counts(database: str) -> dict[str, int]:
    connection = await asyncpg.connect(database)
    try:
        return {table: await connection.fetchval(f"SELECT count(*) FROM {table}") for table in TABLES}  # noqa: S608
    finally:
        await connection.close()


async def posted(client, database: str, url: str, body: object, headers: dict | None = None):
    """The answer, having checked that nothing was stored."""
    content = body if isinstance(body, str) else json.dumps(body)
    before = await counts(database)
    answer = await client.post(url, content=content, headers={"Content-Type": "application/json"} | (headers or {}))
    assert await counts(database) == before, answer.text
    return answer


def fields_of(answer, status: int = 422) -> list[str]:
    assert answer.status_code == status, answer.text
    return [error["field"] for error in answer.json()["errors"]]


@pytest.mark.parametrize("overrides, field", BAD_FIELDS, ids=[f"{i}-{row[1]}" for i, row in enumerate(BAD_FIELDS)])
async def test_a_bad_field_is_a_422_naming_it_and_stores_nothing(intake, database, overrides, field):
    answer = await posted(intake, database, "/v1/reports", report_body(**overrides))
    assert field in fields_of(answer)


@pytest.mark.parametrize(
    "body, field",
    [("{", "body"), (DEEP, "body"), ([], "body"), (None, "body"), ("[" * 10 + "]" * 10, "body")],
    ids=lambda v: v[:12] if isinstance(v, str) else None,
)
async def test_a_body_that_is_no_report_is_a_422(intake, database, body, field):
    assert fields_of(await posted(intake, database, "/v1/reports", body))[:1] == [field]


@pytest.mark.parametrize("key", ["\x00", "a\x01b", " ", "k" * 101, "键".encode(), "a b"], ids=repr)
async def test_a_bad_idempotency_key_is_a_422_naming_the_header(intake, database, key):
    answer = await posted(intake, database, "/v1/reports", report_body(), {"Idempotency-Key": key})
    assert fields_of(answer) == ["Idempotency-Key"]


def batch_of(*overrides: dict) -> dict:
    return {"reports": [report_body(**override) for override in overrides]}


@pytest.mark.parametrize(
    "body, field",
    [({"reports": []}, "reports"), ({"reports": {}}, "reports"), ({"reports": None}, "reports"),
     ({"reports": [1]}, "reports.0"), ({"reports": [[]]}, "reports.0"), ({"reports": [None]}, "reports.0"),
     ({"reports": "x"}, "reports"), ({}, "reports"), ([], "body"), (DEEP, "body"),
     ({"reports": [report_body()] * 501}, "reports"), (batch_of({}) | {"source": "12345"}, "source")],
    ids=lambda v: v[:12] if isinstance(v, str) else None,
)  # fmt: skip
async def test_a_malformed_batch_is_a_422_naming_the_field(intake, database, body, field):
    assert fields_of(await posted(intake, database, "/v1/reports/batch", body)) == [field]


async def test_every_bad_item_of_a_batch_is_refused_naming_its_fields_and_nothing_of_it_is_stored(intake, database):
    storable = [(overrides, field) for overrides, field in BAD_FIELDS if not any(unstorable_fields(overrides))]
    answer = await posted(intake, database, "/v1/reports/batch", batch_of(*[overrides for overrides, _ in storable]))
    results = answer.json()["results"]
    assert answer.status_code == 207 and answer.json()["created"] == 0, answer.text
    for result, (overrides, field) in zip(results, storable, strict=True):
        assert result["status"] == "refused" and result["report_id"] is None, overrides
        assert field in [error["field"] for error in result["errors"]], (overrides, result)
    unstorable = batch_of({}, {"child": {"age": 7, "division_code": "140724104", "name": "王\x00"}})
    assert fields_of(await posted(intake, database, "/v1/reports/batch", unstorable)) == ["reports.1.child.name"]


@pytest.mark.parametrize(
    "area, field",
    [("", "area"), ("1", "area"), ("1" * 10, "area"), ("1407\n", "area"), ("1407\x00", "area"), (None, "area")]
    + [(unknown, "area") for unknown in ("99", "140", "14072", "1407241", "999999999")],  # no such division
)
async def test_a_bad_area_is_a_422_naming_it(intake, area, field):
    params = {} if area is None else {"area": area}
    committee = bearer(Role.COMMITTEE, "1407", "committee-jinzhong")
    assert fields_of(await intake.get("/v1/reports/stuck/count", params=params, headers=committee)) == [field]


async def test_a_foreign_or_empty_scope_counts_nothing_and_files_nothing(intake, database):
    for role, scope, area in [
        (Role.COMMITTEE, "1401", "1407"),
        (Role.COUNTY_CENTRE, "140725", "140724"),
        (Role.COMMITTEE, "", "1407"),
        (Role.COUNTY_CENTRE, "", "140724"),
        (Role.STATION, "140724104", "140724104"),
        (Role.VILLAGE, "140724104200", "140724104"),
    ]:
        caller = bearer(role, scope, f"{role.value}-{scope or 'empty'}")
        answer = await intake.get("/v1/reports/stuck/count", params={"area": area}, headers=caller)
        assert answer.status_code in (403, 404), (role, scope, answer.text)
        for url, body in (("/v1/reports", report_body()), ("/v1/reports/batch", batch_of({}))):
            refused = await posted(intake, database, url, body, caller)
            assert refused.status_code in (403, 404), (role, scope, url, refused.text)
    committee = bearer(Role.COMMITTEE, "1407", "committee-jinzhong")
    own = await intake.get("/v1/reports/stuck/count", params={"area": "140724"}, headers=committee)
    assert (own.status_code, own.json()["area"]) == (200, "140724")
