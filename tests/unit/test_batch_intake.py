"""The batch intake's rules on each item, without I/O: which item goes in, what each answers, and the batch's own
422. Items refused before the database are answered without it (the app here has none)."""

from collections.abc import AsyncIterator
from uuid import uuid4

import httpx
import pytest

from services.intake.app import create_app
from services.intake.domain.batch import (
    Candidate,
    ItemOutcome,
    ItemResult,
    Stored,
    all_stored,
    in_order,
    settle,
    to_insert,
)
from services.intake.domain.idempotency import EarlierUse
from services.intake.settings import IntakeSettings
from shared.domain.access import Role
from tests.auth import bearer, service_settings, with_default_scopes
from tests.factories import VALID_CHILD_ID, report_body


def candidate(index: int, ticket: str | None, request_hash: str = "h1") -> Candidate:
    return Candidate(index, uuid4(), ticket, request_hash)


def test_the_first_item_of_each_ticket_goes_in_by_ticket_then_those_without_one():
    items = [candidate(0, "T2"), candidate(1, None), candidate(2, "T1"), candidate(3, "T2"), candidate(4, None)]
    assert [c.index for c in to_insert(items)] == [2, 0, 1, 4]


def test_an_item_stored_now_is_created_with_its_own_id_and_receipt():
    item = Candidate(0, uuid4(), "T1", "h1", receipt_number="ABCDABCDABCD")
    [result] = settle([item], {item.report_id}, {})
    assert result == ItemResult(0, ItemOutcome.CREATED, item.report_id, "ABCDABCDABCD")


def test_an_item_whose_ticket_was_stored_before_with_the_same_body_answers_that_report():
    item, earlier = candidate(0, "T1"), uuid4()
    [result] = settle([item], set(), {"T1": Stored(EarlierUse("h1", earlier), "RCPT")})
    assert (result.outcome, result.report_id, result.receipt_number) == (ItemOutcome.ACCEPTED_BEFORE, earlier, "RCPT")


def test_a_report_stored_before_bodies_were_fingerprinted_is_answered_whatever_the_body():
    item, earlier = candidate(0, "T1"), uuid4()
    [result] = settle([item], set(), {"T1": Stored(EarlierUse(None, earlier), None)})
    assert (result.outcome, result.report_id) == (ItemOutcome.ACCEPTED_BEFORE, earlier)


def test_a_ticket_stored_before_with_another_body_refuses_the_item_naming_the_ticket():
    [result] = settle([candidate(4, "T1", "h2")], set(), {"T1": Stored(EarlierUse("h1", uuid4()), None)})
    assert result.outcome is ItemOutcome.REFUSED and result.report_id is None
    assert [(p.field, p.code) for p in result.problems] == [("hotline_ticket_id", "ticket_reused")]


def test_a_ticket_repeated_in_the_batch_answers_the_first_item_or_refuses_another_body():
    first, repeat, changed = candidate(0, "T1"), candidate(1, "T1"), candidate(2, "T1", "h2")
    stored = {"T1": Stored(EarlierUse("h1", first.report_id), None)}  # as the first item's insert left it
    results = settle([first, repeat, changed], {first.report_id}, stored)
    assert [r.outcome for r in results] == [ItemOutcome.CREATED, ItemOutcome.ACCEPTED_BEFORE, ItemOutcome.REFUSED]
    assert results[1].report_id == first.report_id


def test_the_batch_is_plain_success_only_when_no_item_is_refused():
    created, refused = ItemResult(1, ItemOutcome.CREATED, uuid4()), ItemResult(0, ItemOutcome.REFUSED)
    assert all_stored([created, ItemResult(2, ItemOutcome.ACCEPTED_BEFORE, uuid4())])
    assert not all_stored([created, refused])
    assert [r.index for r in in_order([created, refused])] == [0, 1]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    # No lifespan: nothing connects, so an item that reached the database would fail loudly.
    settings = service_settings(IntakeSettings, "postgresql://nobody@127.0.0.1:1/none", "127.0.0.1:1")
    app = with_default_scopes(create_app(settings))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake") as client:
        client.headers.update(bearer())
        yield client


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ([report_body()], "body", "model_attributes_type"),
        ({"reports": report_body()}, "reports", "list_type"),
        ({"reports": []}, "reports", "too_short"),
        ({"reports": [report_body()] * 501}, "reports", "too_long"),
        ({"reports": [report_body(), 5]}, "reports.1", "model_type"),
        ({"reports": [report_body(), "x"]}, "reports.1", "model_type"),
        ({"reports": [report_body()], "more": 1}, "more", "extra_forbidden"),
        ({}, "reports", "missing"),
    ],
)
async def test_a_malformed_batch_is_refused_whole_naming_the_field(client, body, field, code):
    response = await client.post("/v1/reports/batch", json=body)
    assert response.status_code == 422, response.text
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]


async def test_each_bad_item_names_its_fields_as_the_single_endpoint_does_and_goes_no_further(client):
    bad = [
        report_body(child={"age": "5"}, narrative=""),  # wrong JSON types, empty text
        report_body(child={"division_code": "140724104", "age": 3, "id_number": VALID_CHILD_ID}),  # across fields
        report_body(received_at="9999-12-31T00:00:00+08:00", child={"age": 10**30}),
        report_body(child={"birth_date": "0001-01-01"}),
        report_body(unknown=True, concerns=["neglect", "neglect"]),
    ]
    response = await client.post("/v1/reports/batch", json={"reports": bad})
    assert response.status_code == 207, response.text
    answer = response.json()
    assert (answer["created"], answer["accepted_before"], answer["refused"]) == (0, 0, 5)
    for index, (item, result) in enumerate(zip(bad, answer["results"], strict=True)):
        single = await client.post("/v1/reports", json=item)
        assert single.status_code == 422
        assert result == {
            "index": index,
            "status": "refused",
            "report_id": None,
            "receipt_number": None,
            "errors": single.json()["errors"],
        }
    assert VALID_CHILD_ID not in response.text


async def test_only_operators_and_the_platform_may_send_a_batch(client):
    station = bearer(Role.STATION, "140724104", "station-1")
    refused = await client.post("/v1/reports/batch", json={"reports": [report_body()]}, headers=station)
    assert refused.status_code == 403
    anonymous = await client.post("/v1/reports/batch", json={"reports": [report_body()]}, headers={"Authorization": ""})
    assert anonymous.status_code == 401
