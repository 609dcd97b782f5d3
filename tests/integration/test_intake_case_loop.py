"""Intake in-process on real PostgreSQL and Kafka follows a case to its end: referral's events move the report's
status, priority, case number and timeline (a late or replayed one moves nothing back, a linked report follows
its referral); each step is announced to the platform once (ReportProgressed); the hotline records a callback
(CallbackRecorded, notes kept in intake) from its list of calls to make; a mandatory reporter looks up a receipt
(the same 404 for a wrong number or phone, 429 past the limit, every lookup audited)."""

import json
import uuid
from datetime import timedelta

import asyncpg
import httpx
import pytest

from services.intake.app import create_app
from services.intake.domain.receipts import check_character
from services.intake.settings import IntakeSettings
from shared.domain.access import Role
from shared.domain.codes import Milestone, Priority, Satisfaction
from shared.domain.outcomes import Outcome
from shared.domain.referrals import ReferralAction, ReferralStatus, Stage
from shared.events import (
    CallbackRecorded,
    DeadlineExtension,
    DeadlineScheduled,
    ReferralActionRecorded,
    ReportLinked,
    ReportProgressed,
    utcnow,
)
from shared.events.deadlines import ExtensionDecision
from shared.topics import dead_letter_topic
from tests.auth import bearer, service_settings
from tests.factories import referral_assigned, report_body
from tests.integration.conftest import serving
from tests.integration.test_stuck_reports import produce_with_headers
from tests.kafka_tools import produce, reading
from tests.waiting import eventually

PLATFORM = bearer(Role.OPERATOR, "1407", "service-account-1", platform_client="12345-jinzhong")
PHONE = "13912345678"
MANDATORY = {"name": "李秀英", "phone": PHONE, "mandatory_reporter": True, "institution_type": "school"}


@pytest.fixture(scope="module")
async def database_url(intake_database):
    return await intake_database()


@pytest.fixture(scope="module")
def intake_app(infrastructure, database_url):
    bootstrap = infrastructure.kafka_bootstrap_servers
    return create_app(service_settings(IntakeSettings, database_url, bootstrap, receipt_lookups_per_minute=5))


@pytest.fixture(scope="module")
async def intake(intake_app):
    async with serving(intake_app, PLATFORM) as client:
        yield client


def public(app, address: str) -> httpx.AsyncClient:
    """A caller with no token, from its own address."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://service")


async def file(intake, **reporter) -> dict:
    body = report_body(hotline_ticket_id=f"GD{uuid.uuid4().hex[:10]}", reporter=reporter or {"name": "王女士"})
    answer = await intake.post("/v1/reports", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def action(assigned, version: int, kind: ReferralAction, **values) -> ReferralActionRecorded:
    fields = {
        "referral_id": assigned.referral_id,
        "report_id": assigned.report_id,
        "version": version,
        "action": kind,
        "actor": f"station:{assigned.assignee_code}",
        "at": utcnow(),
        "status": ReferralStatus.ACKNOWLEDGED,
        "assignee_code": assigned.assignee_code,
        "priority": assigned.priority,
        "case_number": assigned.case_number,
    }
    return ReferralActionRecorded(**(fields | values))


async def send(bootstrap: str, *events) -> None:
    for event in events:
        await produce(bootstrap, event.TOPIC, event.model_dump_json().encode(), str(event.referral_id).encode())


async def status_of(intake, report_id: str, state: str) -> dict | None:
    view = (await intake.get(f"/v1/reports/{report_id}")).json()
    return view if view["status"]["state"] == state else None


def about(report_id: str, milestone: Milestone):
    def matches(record) -> bool:
        event = json.loads(record.value)
        return event["report_id"] == report_id and event["milestone"] == milestone.value

    return matches


async def test_a_case_is_followed_to_its_end_and_each_step_told_once(intake, infrastructure):
    bootstrap = infrastructure.kafka_bootstrap_servers
    async with reading(bootstrap, ReportProgressed.TOPIC) as progress:
        first, repeat = (await file(intake))["report_id"], (await file(intake))["report_id"]
        received = ReportProgressed.model_validate_json((await progress.find(about(first, Milestone.RECEIVED))).value)
        assert received.platform_client == "12345-jinzhong" and received.hotline_ticket_id

        assigned = referral_assigned(report_id=uuid.UUID(first), case_number="晋中-2026-000123")
        linked = ReportLinked(
            report_id=uuid.UUID(repeat),
            referral_id=assigned.referral_id,
            assignee_code=assigned.assignee_code,
            assignee_name=assigned.assignee_name,
            priority=Priority.P2,
            reports_in_window=2,
            case_number=assigned.case_number,
        )
        acknowledged = action(assigned, 2, ReferralAction.ACKNOWLEDGED)
        await send(bootstrap, assigned, linked, acknowledged)
        view = await eventually(lambda: status_of(intake, first, "acknowledged"), 30, "acknowledged")
        told = ReportProgressed.model_validate_json((await progress.find(about(first, Milestone.ACKNOWLEDGED))).value)
        assert told.case_number == "晋中-2026-000123" and told.platform_client == "12345-jinzhong"

        late = referral_assigned(**(assigned.model_dump() | {"event_id": uuid.uuid4(), "version": 1}))
        raised = action(assigned, 3, ReferralAction.PRIORITY_RAISED, priority=Priority.P1, detail={"to": "P1"})
        closing = {"status": ReferralStatus.CLOSED, "priority": Priority.P1, "detail": {"outcome": "resolved"}}
        closed = action(assigned, 4, ReferralAction.CLOSED, **closing)
        await send(bootstrap, late, acknowledged, raised, closed, closed)
        view = await eventually(lambda: status_of(intake, first, "closed"), 30, "closed")
        both = [
            ReportProgressed.model_validate_json(record.value)
            for record in await progress.read_matching(
                lambda record: (
                    json.loads(record.value)["milestone"] == "closed"
                    and json.loads(record.value)["report_id"] in (first, repeat)
                ),
                2,
            )
        ]
        linked_view = await eventually(lambda: status_of(intake, repeat, "closed"), 30, "the linked report closed")

    assert view["status"]["case_number"] == "晋中-2026-000123" and view["status"]["priority"] == "P1"
    assert view["status"]["outcome_label"] == Outcome.RESOLVED.label and view["status"]["next_deadline_at"] is None
    steps = [(entry["what"], entry["who"]) for entry in view["timeline"]]
    assert steps[0] == ("received", "12345热线") and ("acknowledged", "大寨镇工作站") in steps
    assert [what for what, _ in steps].count("acknowledged") == 1 and steps[-1][0] == "closed"
    assert linked_view["status"]["priority"] == "P1" and "linked" in [e["what"] for e in linked_view["timeline"]]
    assert {event.report_id for event in both} == {uuid.UUID(first), uuid.UUID(repeat)}
    assert all(event.outcome_text == Outcome.RESOLVED.reporter_text for event in both)
    async with reading(bootstrap, ReportProgressed.TOPIC, from_beginning=True) as everything:
        with pytest.raises(TimeoutError):  # the replayed closing announced nothing more
            await everything.read_matching(about(first, Milestone.CLOSED), 2, timeout=3)


async def test_a_step_heard_before_its_placement_takes_the_station_name_when_the_placement_comes(
    intake, infrastructure, database_url
):
    bootstrap = infrastructure.kafka_bootstrap_servers
    report_id = (await file(intake))["report_id"]
    assigned = referral_assigned(report_id=uuid.UUID(report_id), case_number="晋中-2026-000125")
    connection = await asyncpg.connect(database_url)

    async def acknowledged_by() -> str | None:
        return await connection.fetchval(
            "SELECT who FROM case_timeline WHERE referral_id = $1 AND what = 'acknowledged'", assigned.referral_id
        )

    try:
        await send(bootstrap, action(assigned, 2, ReferralAction.ACKNOWLEDGED))
        assert await eventually(acknowledged_by, 30, "the early step") == "工作站"
        await send(bootstrap, assigned)
        view = await eventually(lambda: status_of(intake, report_id, "acknowledged"), 30, "placed")
    finally:
        await connection.close()
    assert ("acknowledged", "大寨镇工作站") in [(entry["what"], entry["who"]) for entry in view["timeline"]]


async def test_the_hotline_calls_back_from_its_list_and_the_call_is_announced_without_its_notes(
    intake, infrastructure, database_url
):
    bootstrap = infrastructure.kafka_bootstrap_servers
    report_id = (await file(intake, name="赵先生", phone="13800001111"))["report_id"]
    assigned = referral_assigned(report_id=uuid.UUID(report_id), case_number="晋中-2026-000124")
    callback_due = DeadlineScheduled(
        deadline_id=uuid.uuid4(),
        referral_id=assigned.referral_id,
        report_id=assigned.report_id,
        stage=Stage.CALLBACK,
        priority=Priority.P2,
        assignee_code="hotline",
        due_at=utcnow() - timedelta(minutes=1),
        provisional=False,
    )
    extended = DeadlineExtension(
        extension_id=uuid.uuid4(),
        deadline_id=uuid.uuid4(),
        referral_id=assigned.referral_id,
        report_id=assigned.report_id,
        stage=Stage.HOME_VISIT,
        assignee_code=assigned.assignee_code,
        due_at=utcnow(),
        requested_until=utcnow() + timedelta(days=2),
        decision=ExtensionDecision.APPROVED,
        decided_by="county_centre:140724",
        at=utcnow(),
    )
    await send(bootstrap, assigned, callback_due, extended)

    async def listed() -> list | None:
        due = (await intake.get("/v1/callbacks/due")).json()
        return [task for task in due if task["report_id"] == report_id] or None

    [task] = await eventually(listed, 30, "the callback task")
    assert task["case_number"] == "晋中-2026-000124" and task["callback_due_at"]

    path = f"/v1/reports/{report_id}/callback"
    for body, field in (
        ({"reached": True}, "satisfaction"),
        ({"reached": False, "satisfaction": "satisfied"}, "satisfaction"),
        ({"reached": True, "satisfaction": "happy"}, "satisfaction"),
        ({"reached": "yes"}, "reached"),
        ({"reached": False, "at": "2001-01-01T00:00:00"}, "at"),
        ({"reached": False, "at": "2999-01-01T00:00:00"}, "at"),
        ({"reached": False, "notes": "x" * 2001}, "notes"),
        ({"reached": False, "extra": 1}, "extra"),
    ):
        answer = await intake.post(path, json=body)
        assert answer.status_code == 422, body
        assert field in json.dumps(answer.json()["errors"]), body
    assert (await intake.post(f"/v1/reports/{uuid.uuid4()}/callback", json={"reached": False})).status_code == 404

    async with reading(bootstrap, CallbackRecorded.TOPIC) as callbacks:
        body = {"reached": True, "satisfaction": "dissatisfied", "notes": "报告人说孩子仍无人照看"}
        assert (await intake.post(path, json=body)).status_code == 204
        record = await callbacks.find(lambda record: json.loads(record.value)["report_id"] == report_id)
    event = CallbackRecorded.model_validate_json(record.value)
    assert (event.reached, event.satisfaction, event.referral_id) == (
        True,
        Satisfaction.DISSATISFIED,
        assigned.referral_id,
    )
    assert event.case_number == "晋中-2026-000124" and "仍无人照看" not in record.value.decode()
    assert await listed() is None
    view = (await intake.get(f"/v1/reports/{report_id}")).json()
    assert ("callback", "不满意") in [(entry["what"], entry["detail"]) for entry in view["timeline"]]

    async def extension_shown() -> bool:
        view = (await intake.get(f"/v1/reports/{report_id}")).json()
        return "extension_approved" in [entry["what"] for entry in view["timeline"]]

    await eventually(extension_shown, 30, "the extension on the timeline")

    # Reopened for the county centre: the placement and the action carry one version, the action says more.
    centre = {"assignee_code": "140724", "assignee_name": "昔阳县未成年人救助保护中心", "reason": "reopened"}
    placed = referral_assigned(**(assigned.model_dump() | centre | {"event_id": uuid.uuid4(), "version": 2}))
    reopened = action(assigned, 2, ReferralAction.REOPENED, actor="system:referral", assignee_code="140724")
    async with reading(bootstrap, ReportProgressed.TOPIC) as progress:
        await send(bootstrap, placed, reopened)
        view = await eventually(lambda: status_of(intake, report_id, "reopened"), 30, "reopened")
        await progress.find(about(report_id, Milestone.REOPENED))
    assert view["status"]["station_name"] == "昔阳县未成年人救助保护中心"
    connection = await asyncpg.connect(database_url)
    try:
        audited = await connection.fetchval(
            "SELECT count(*) FROM audit_log WHERE action = 'callback' AND case_id = $1", uuid.UUID(report_id)
        )
    finally:
        await connection.close()
    assert audited == 1


async def test_a_receipt_answers_only_its_step_the_same_404_for_any_mistake_and_429_past_the_limit(
    intake, intake_app, database_url
):
    filed = await file(intake, **MANDATORY)
    number = filed["receipt_number"]
    assert len(number) == 14 and number.count("-") == 2
    assert (await file(intake))["receipt_number"] is None  # not a mandatory reporter

    async with public(intake_app, "10.0.0.1") as reporter:
        found = await reporter.post("/v1/receipts/lookup", json={"receipt_number": number.lower(), "phone": PHONE})
        assert found.status_code == 200, found.text
        assert set(found.json()) == {"status", "status_text", "date"}
        assert (found.json()["status"], found.json()["status_text"]) == ("received", "已受理")
        wrong_phone = await reporter.post(
            "/v1/receipts/lookup", json={"receipt_number": number, "phone": "13900000000"}
        )
    other = "".join(reversed(number.replace("-", "")[:-1]))

    async with public(intake_app, "10.0.0.2") as stranger:
        wrong_number = await stranger.post(
            "/v1/receipts/lookup", json={"receipt_number": other + check_character(other), "phone": PHONE}
        )
        for body, field in (
            ({"receipt_number": number[:-1] + "0", "phone": PHONE}, "receipt_number"),
            ({"receipt_number": "A" * 200, "phone": PHONE}, "receipt_number"),
            ({"receipt_number": number, "phone": "not a phone"}, "phone"),
            ({"receipt_number": number}, "phone"),
        ):
            answer = await stranger.post("/v1/receipts/lookup", json=body)
            assert answer.status_code == 422 and field in json.dumps(answer.json()), body
    assert (wrong_phone.status_code, wrong_number.status_code) == (404, 404)
    assert wrong_phone.json() == wrong_number.json()

    async with public(intake_app, "10.0.0.3") as guesser:
        answers = [
            (await guesser.post("/v1/receipts/lookup", json={"receipt_number": number, "phone": PHONE})).status_code
            for _ in range(4)
        ]
    assert answers == [200, 200, 200, 429]  # five a minute for this receipt, two were used above

    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch("SELECT * FROM audit_log WHERE action = 'receipt_lookup'")
    finally:
        await connection.close()
    assert [row["target"] for row in rows].count("too_many") >= 1 and len(rows) >= 7
    assert PHONE not in json.dumps([dict(row) for row in rows], default=str)


async def test_a_step_told_to_the_platform_that_was_set_aside_leaves_the_report_stuck_until_it_is_replayed(
    intake, infrastructure
):
    bootstrap = infrastructure.kafka_bootstrap_servers
    report_id = (await file(intake))["report_id"]
    assigned = referral_assigned(report_id=uuid.UUID(report_id))
    await send(bootstrap, assigned)
    await eventually(lambda: status_of(intake, report_id, "routed"), 30, "routed")
    step = ReportProgressed(report_id=uuid.UUID(report_id), milestone=Milestone.ACKNOWLEDGED, at=utcnow())
    headers = [("error", b"handler failed: ConnectError"), ("source_topic", step.TOPIC.encode())]
    await produce_with_headers(bootstrap, dead_letter_topic(step.TOPIC), step.model_dump_json().encode(), headers)

    async def stuck() -> bool:
        listed = (await intake.get("/v1/reports/stuck")).json()
        return any(row["report_id"] == report_id and row["source_topic"] == step.TOPIC for row in listed)

    await eventually(stuck, 30, "stuck by the dead letter")
    await produce(bootstrap, step.TOPIC, step.model_dump_json().encode(), report_id.encode())  # the replay
    await eventually(lambda: _not(stuck), 30, "cleared by the replay")


async def _not(probe) -> bool:
    return not await probe()
