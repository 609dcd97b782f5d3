"""The 12345 platform's batch intake, in-process on real PostgreSQL and Kafka: each good item stored and announced
once with its own id, each bad one named by its index and fields and storing nothing, at most one report per ticket
within a batch and across requests, and hostile input refused."""

import asyncio
import json
import uuid

import asyncpg
import pytest

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared.topics import REPORT_RECEIVED
from tests.auth import service_settings
from tests.factories import VALID_CHILD_ID, report_body
from tests.integration.conftest import serving
from tests.kafka_tools import reading

REPORTER = {"name": "李秀英", "phone": "13912345678", "mandatory_reporter": True, "institution_type": "school"}


@pytest.fixture(scope="module")
async def database_url(intake_database):
    return await intake_database()


@pytest.fixture(scope="module")
async def intake(infrastructure, database_url):
    kafka = infrastructure.kafka_bootstrap_servers
    # no report turns stuck (and announces it) while the tests count what is stored
    settings = service_settings(IntakeSettings, database_url, kafka, no_referral_after_seconds=3600)
    async with serving(create_app(settings)) as client:
        yield client


def ticket() -> str:
    return f"GD{uuid.uuid4().hex[:12]}"


async def query(database_url: str, sql: str, *args: object) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(database_url)
    try:
        return await connection.fetch(sql, *args)
    finally:
        await connection.close()


async def stored_tickets(database_url: str, tickets: list[str]) -> dict[str, int]:
    rows = await query(
        database_url,
        "SELECT hotline_ticket_id, count(*) AS n FROM reports WHERE hotline_ticket_id = ANY($1) GROUP BY 1",
        tickets,
    )
    return {row["hotline_ticket_id"]: row["n"] for row in rows}


async def totals(database_url: str) -> tuple[int, int]:
    [row] = await query(database_url, "SELECT (SELECT count(*) FROM reports) AS r, (SELECT count(*) FROM outbox) AS o")
    return row["r"], row["o"]


async def test_a_good_batch_stores_and_announces_each_report_once_with_its_own_id(intake, infrastructure, database_url):
    tickets = [ticket() for _ in range(3)]
    bodies = [report_body(hotline_ticket_id=t) for t in tickets]
    bodies[1]["reporter"] = REPORTER
    async with reading(infrastructure.kafka_bootstrap_servers, REPORT_RECEIVED) as received:
        response = await intake.post("/v1/reports/batch", json={"reports": bodies})
        assert response.status_code == 201, response.text
        answer = response.json()
        ids = [result["report_id"] for result in answer["results"]]
        records = await received.read_matching(lambda r: json.loads(r.value)["report_id"] in ids, 3)
        with pytest.raises(TimeoutError):  # and none a second time
            await received.read_matching(lambda r: json.loads(r.value)["report_id"] in ids, 1, timeout=3)
    assert (answer["created"], answer["accepted_before"], answer["refused"]) == (3, 0, 0)
    assert [r["index"] for r in answer["results"]] == [0, 1, 2] and len(set(ids)) == 3
    assert {json.loads(record.value)["report_id"] for record in records} == set(ids)
    assert all("李秀英" not in record.value.decode() for record in records)
    assert [r["receipt_number"] is not None for r in answer["results"]] == [False, True, False]
    outbox = await query(
        database_url,
        "SELECT event_type, count(*) AS n FROM outbox WHERE payload::jsonb ->> 'report_id' = ANY($1) GROUP BY 1",
        ids,
    )
    assert {row["event_type"]: row["n"] for row in outbox} == {"ReportReceived": 3, "ReportProgressed": 3}
    for report_id, body in zip(ids, bodies, strict=True):
        read = (await intake.get(f"/v1/reports/{report_id}")).json()
        assert (read["hotline_ticket_id"], read["narrative"]) == (body["hotline_ticket_id"], body["narrative"])


async def test_bad_items_are_named_by_index_and_field_and_store_nothing(intake, database_url):
    tickets = [ticket() for _ in range(4)]
    bodies = [
        report_body(hotline_ticket_id=tickets[0]),
        report_body(hotline_ticket_id=tickets[1], child={"age": 3, "id_number": VALID_CHILD_ID}),
        report_body(hotline_ticket_id=tickets[2], child={"division_code": "140799999", "age": 7}),
        report_body(hotline_ticket_id=tickets[3]),
    ]
    response = await intake.post("/v1/reports/batch", json={"reports": bodies})
    assert response.status_code == 207, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "refused", "refused", "created"]
    assert [(e["field"], e["code"]) for e in results[1]["errors"]] == [("child.age", "age_mismatch")]
    assert [(e["field"], e["code"]) for e in results[2]["errors"]] == [("child.division_code", "unknown_division")]
    assert results[1]["report_id"] is None and VALID_CHILD_ID not in response.text
    assert await stored_tickets(database_url, tickets) == {tickets[0]: 1, tickets[3]: 1}


async def test_a_ticket_repeated_in_a_batch_or_sent_before_answers_the_earlier_report(intake, database_url):
    before, repeated = report_body(hotline_ticket_id=ticket()), report_body(hotline_ticket_id=ticket())
    single = await intake.post("/v1/reports", json=before)
    assert single.status_code == 201
    changed = repeated | {"narrative": "另一段描述"}
    response = await intake.post("/v1/reports/batch", json={"reports": [before, repeated, repeated, changed]})
    assert response.status_code == 207, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["accepted_before", "created", "accepted_before", "refused"]
    assert results[0]["report_id"] == single.json()["report_id"]
    assert results[2]["report_id"] == results[1]["report_id"]
    assert [(e["field"], e["code"]) for e in results[3]["errors"]] == [("hotline_ticket_id", "ticket_reused")]
    tickets = [before["hotline_ticket_id"], repeated["hotline_ticket_id"]]
    assert await stored_tickets(database_url, tickets) == dict.fromkeys(tickets, 1)
    outbox = await query(
        database_url,
        "SELECT count(*) AS n FROM outbox WHERE topic = $1 AND payload::jsonb ->> 'hotline_ticket_id' = ANY($2)",
        REPORT_RECEIVED,
        tickets,
    )
    assert outbox[0]["n"] == 2

    again = await intake.post("/v1/reports/batch", json={"reports": [before, repeated]})
    assert again.status_code == 201, again.text
    assert [r["report_id"] for r in again.json()["results"]] == [results[0]["report_id"], results[1]["report_id"]]
    retried = await intake.post("/v1/reports", json=repeated)  # and a single retry of a batch's item
    assert (retried.status_code, retried.json()["report_id"]) == (200, results[1]["report_id"])


async def test_batches_sharing_tickets_at_once_store_each_ticket_once(intake, database_url):
    tickets = [ticket() for _ in range(20)]
    bodies = [report_body(hotline_ticket_id=t) for t in tickets]
    answers = await asyncio.gather(
        *[intake.post("/v1/reports/batch", json={"reports": order}) for order in (bodies, bodies[::-1]) * 2]
    )
    assert [a.status_code for a in answers] == [201] * 4
    ids = [{r["report_id"] for r in a.json()["results"]} for a in answers]
    assert all(found == ids[0] for found in ids) and len(ids[0]) == 20
    assert sum(a.json()["created"] for a in answers) == 20
    assert await stored_tickets(database_url, tickets) == dict.fromkeys(tickets, 1)


async def test_an_item_about_a_child_outside_the_callers_area_is_taken_as_a_single_report_is(intake, database_url):
    """A caller may phone about a child anywhere: the hotline that took it follows it, whatever its township."""
    inside = report_body(hotline_ticket_id=ticket())
    outside = report_body(hotline_ticket_id=ticket(), child={"division_code": "442000118", "age": 7})
    response = await intake.post("/v1/reports/batch", json={"reports": [inside, outside]})  # an operator of 1407
    assert response.status_code == 201, response.text
    assert [result["status"] for result in response.json()["results"]] == ["created", "created"]
    assert await stored_tickets(database_url, [outside["hotline_ticket_id"]]) == {outside["hotline_ticket_id"]: 1}


@pytest.mark.parametrize(
    ("hostile", "field"),
    [
        ({"narrative": "孩子\x00无人照看"}, "reports.1.narrative"),
        ({"child": {"name": "王\x07", "age": 7}}, "reports.1.child.name"),
    ],
)
async def test_text_no_column_can_hold_refuses_the_whole_batch_naming_the_item(intake, database_url, hostile, field):
    before = await totals(database_url)
    response = await intake.post("/v1/reports/batch", json={"reports": [report_body(), report_body(**hostile)]})
    assert response.status_code == 422, response.text
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, "control_characters")]
    assert await totals(database_url) == before


async def test_hostile_items_are_refused_one_by_one_and_nothing_of_them_stored(intake, database_url):
    hostile = [
        {"received_at": "0001-01-01T00:00:00+08:00"},
        {"received_at": "9999-12-31T23:59:59+08:00"},
        {"child": {"birth_date": "0001-01-01", "division_code": "140724104"}},
        {"child": {"birth_date": "9999-12-31", "division_code": "140724104"}},
        {"child": {"age": 10**40, "division_code": "140724104"}},
        {"child": {"age": 1e308, "division_code": "140724104"}},
        {"child": {"age": "7", "division_code": "140724104"}},
        {"immediate_danger": 1},
        {"concerns": "neglect"},
        {"narrative": ["孩子"]},
        {"child": [], "narrative": None},
    ]
    before = await totals(database_url)
    good = report_body(hotline_ticket_id=ticket())
    response = await intake.post("/v1/reports/batch", json={"reports": [report_body(**h) for h in hostile] + [good]})
    assert response.status_code == 207, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["refused"] * len(hostile) + ["created"]
    assert all(r["errors"] and r["report_id"] is None for r in results[:-1])
    assert results[4]["errors"][0]["field"] == "child.age"
    reports, outbox = await totals(database_url)
    assert reports == before[0] + 1 and outbox == before[1] + 2  # the good one's ReportReceived and first step


@pytest.mark.parametrize(("count", "code"), [(0, "too_short"), (501, "too_long")])
async def test_an_empty_or_oversized_batch_is_refused_whole(intake, database_url, count, code):
    before = await totals(database_url)
    response = await intake.post("/v1/reports/batch", json={"reports": [report_body()] * count})
    assert response.status_code == 422, response.text
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("reports", code)]
    assert await totals(database_url) == before
