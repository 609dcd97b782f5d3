"""The notification service in-process on real Kafka and PostgreSQL, closing the loop: the police's stages
and their escalation, the hotline's callback, extensions (延期), 督办 by hand, and the copies and priority
changes told to the stations, delivered to a real webhook receiver."""

import json
import uuid
from datetime import datetime, timedelta

import asyncpg
import pytest

from services.notification.app import create_app
from services.notification.settings import NotificationSettings
from shared.domain.access import Role
from shared.domain.codes import AssigneeKind, Milestone, Priority
from shared.domain.outcomes import Outcome
from shared.events import (
    CallbackRecorded,
    Event,
    ReferralAction,
    ReferralActionRecorded,
    ReportProgressed,
    StationDirectoryChanged,
    utcnow,
)
from tests.auth import WEBHOOK_SECRET, bearer, service_settings
from tests.demo_directory import knowing_the_demo_directory
from tests.factories import referral_assigned
from tests.integration.conftest import serving
from tests.kafka_tools import produce
from tests.receivers import HttpReceiver, http_receiver
from tests.waiting import eventually

STATION, HOUSEHOLD_STATION, CENTRE, COMMITTEE = "140724104", "140702200", "140724", "1407"
CASE = "晋中-2026-000101"


@pytest.fixture(scope="module")
def hooks():
    with http_receiver(HttpReceiver(secret=WEBHOOK_SECRET)) as receiver:
        yield receiver


@pytest.fixture(scope="module")
async def service(infrastructure, new_database, hooks):
    url = await new_database("notification_loop")
    settings = service_settings(
        NotificationSettings,
        url,
        infrastructure.kafka_bootstrap_servers,
        delivery_retry_seconds=0.2,
        delivery_retry_max_seconds=1,
    )
    async with serving(knowing_the_demo_directory(create_app(settings))) as client:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
        for code, kind, name in (
            (STATION, AssigneeKind.STATION, "大寨镇工作站"),
            (HOUSEHOLD_STATION, AssigneeKind.STATION, "北关街道工作站"),
            (CENTRE, AssigneeKind.COUNTY_CENTRE, "昔阳县未成年人救助保护中心"),
        ):
            await send(infrastructure, directory_entry(code, kind, name, f"{hooks.url}/hook/{code}"))

        async def stored():  # the directory topic also holds earlier tests' entries
            ours = "SELECT count(*) FROM receivers WHERE code = ANY($1) AND webhook_url LIKE $2"
            return await pool.fetchval(ours, [STATION, HOUSEHOLD_STATION, CENTRE], f"{hooks.url}/%") == 3

        await eventually(stored, 60, "the directory's entries")
        yield client, pool
        await pool.close()


def directory_entry(code: str, kind: AssigneeKind, name: str, url: str) -> StationDirectoryChanged:
    return StationDirectoryChanged(
        code=code, kind=kind, name=name, county_code=code[:6], webhook_url=url, updated_at=utcnow()
    )


async def send(infrastructure, event: Event, key: str = "k") -> None:
    await produce(infrastructure.kafka_bootstrap_servers, event.TOPIC, event.model_dump_json().encode(), key.encode())


def action(assigned, name: ReferralAction, version: int, at=None, **overrides) -> ReferralActionRecorded:
    values = {
        "referral_id": assigned.referral_id,
        "report_id": assigned.report_id,
        "version": version,
        "action": name,
        "actor": f"station:{STATION}",
        "at": at or utcnow(),
        "status": "acknowledged",
        "assignee_code": assigned.assignee_code,
        "priority": assigned.priority,
        "case_number": assigned.case_number,
    }
    return ReferralActionRecorded(**(values | overrides))


async def stages_of(client, referral_id, expected: set[str]) -> dict[str, dict]:
    async def probe():
        response = await client.get("/v1/deadlines", params={"referral_id": str(referral_id)})
        found = {row["stage"]: row for row in response.json()}
        return found if expected <= set(found) else None

    return await eventually(probe, 60, f"the stages {sorted(expected)}")


async def hooks_for(hooks: HttpReceiver, code: str, kind: str, *subject: str) -> list[dict]:
    """The notices of this kind delivered to this receiver, whose subject has all these words."""

    async def probe():
        return [
            body
            for body in list(hooks.acted_on.values())
            if body["receiver_code"] == code and body["kind"] == kind and all(w in body["subject"] for w in subject)
        ]

    return await eventually(probe, 60, f"a {kind} notice to {code}")


async def outbox(pool, event_type: str, referral_id) -> list[dict]:
    rows = await pool.fetch("SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", event_type)
    return [p for p in (json.loads(row["payload"]) for row in rows) if p["referral_id"] == str(referral_id)]


async def test_a_police_required_case_whose_feedback_timer_fires_escalates(service, infrastructure, hooks):
    client, pool = service
    opened = utcnow() - timedelta(days=5)
    assigned = referral_assigned(
        priority=Priority.P1, police_required=True, assigned_at=opened, assignee_code=STATION, case_number=CASE
    )
    await send(infrastructure, assigned)
    stages = await stages_of(client, assigned.referral_id, {"police_notice", "callback"})
    police = stages["police_notice"]
    assert (datetime.fromisoformat(police["due_at"]), police["case_number"]) == (opened + timedelta(hours=2), CASE)
    told = action(assigned, ReferralAction.POLICE_NOTIFIED, version=3, at=opened + timedelta(hours=1))
    await send(infrastructure, told)
    stages = await stages_of(client, assigned.referral_id, {"police_feedback"})
    assert stages["police_notice"]["status"] == "met"

    async def escalated():
        rows = await outbox(pool, "DeadlineBreached", assigned.referral_id)
        return [row for row in rows if row["stage"] == "police_feedback"]

    [breach] = await eventually(escalated, 60, "the police feedback's breach")
    assert breach["notify"] == ["county_centre"]
    [notice] = await hooks_for(hooks, CENTRE, "breach", CASE, "公安机关反馈")
    assert "承办单位 大寨镇工作站" in notice["body"]
    assert assigned.referral_id.hex[:8] not in notice["body"]


async def test_an_approved_extension_moves_the_deadline_and_its_timers(service, infrastructure, hooks):
    client, pool = service
    assigned = referral_assigned(priority=Priority.P3, assignee_code=STATION, case_number="晋中-2026-000102")
    await send(infrastructure, assigned)
    stages = await stages_of(client, assigned.referral_id, {"home_visit"})
    visit = stages["home_visit"]
    due = visit["due_at"]
    path = f"/v1/deadlines/{visit['deadline_id']}/extensions"
    station, centre = bearer(Role.STATION, STATION, "s-1"), bearer(Role.COUNTY_CENTRE, CENTRE, "c-1")
    until = (utcnow() + timedelta(days=20)).isoformat()
    body = {"reason": "家长外出务工，需等候返乡", "requested_until": until}
    assert (await client.post(path, json=body, headers=bearer(Role.STATION, HOUSEHOLD_STATION))).status_code == 404
    assert (await client.post(path, json=body, headers=centre)).status_code == 403
    too_early = {"reason": "x", "requested_until": due}
    assert [e["field"] for e in (await client.post(path, json=too_early, headers=station)).json()["errors"]] == [
        "requested_until"
    ]
    blank = {"reason": " \u3000\n", "requested_until": until}  # white space, the ideographic kind too
    assert [e["field"] for e in (await client.post(path, json=blank, headers=station)).json()["errors"]] == ["reason"]
    asked = await client.post(path, json=body, headers=station)
    assert asked.status_code == 201, asked.text
    assert (await client.post(path, json=body, headers=station)).status_code == 409  # one waits already
    extension_id = asked.json()["extension_id"]

    pending = (await client.get("/v1/extensions", params={"status": "pending"}, headers=centre)).json()
    assert [row["extension_id"] for row in pending if row["deadline_id"] == visit["deadline_id"]] == [extension_id]
    listed = await stages_of(client, assigned.referral_id, {"home_visit"})
    assert listed["home_visit"]["pending_extension_id"] == extension_id
    await hooks_for(hooks, CENTRE, "extension", "晋中-2026-000102")

    decide = f"/v1/extensions/{extension_id}/approve"
    assert (await client.post(decide, headers=bearer(Role.COMMITTEE, COMMITTEE))).status_code == 403
    assert (await client.post(decide, headers=station)).status_code == 403
    approved = await client.post(decide, headers=centre)
    assert approved.status_code == 200, approved.text
    assert (await client.post(decide, headers=centre)).status_code == 409

    moved = (await stages_of(client, assigned.referral_id, {"home_visit"}))["home_visit"]
    assert moved["due_at"] != due and moved["pending_extension_id"] is None
    breach = await pool.fetchval(
        "SELECT fire_at FROM timers WHERE deadline_id = $1 AND kind = 'breach'", moved["deadline_id"]
    )
    assert breach == datetime.fromisoformat(approved.json()["requested_until"])
    decisions = [row["decision"] for row in await outbox(pool, "DeadlineExtension", assigned.referral_id)]
    assert decisions == ["pending", "approved"]
    scheduled = await outbox(pool, "DeadlineScheduled", assigned.referral_id)
    assert scheduled[-1]["deadline_id"] == moved["deadline_id"]
    audited = await pool.fetch("SELECT action FROM audit_log WHERE case_id = $1", assigned.referral_id)
    assert {"extension_requested", "extension_approved"} <= {row["action"] for row in audited}
    [told] = await hooks_for(hooks, STATION, "extension", "晋中-2026-000102", "延期已批准")

    contact = (await stages_of(client, assigned.referral_id, {"first_contact"}))["first_contact"]
    asked = await client.post(f"/v1/deadlines/{contact['deadline_id']}/extensions", json=body, headers=station)
    refused = await client.post(f"/v1/extensions/{asked.json()['extension_id']}/refuse", headers=centre)
    assert refused.status_code == 200, refused.text
    kept = (await stages_of(client, assigned.referral_id, {"first_contact"}))["first_contact"]
    assert (kept["due_at"], kept["pending_extension_id"]) == (contact["due_at"], None)
    await hooks_for(hooks, STATION, "extension", "晋中-2026-000102", "延期未批准")


async def test_the_household_station_is_told_of_its_copy_and_the_holder_of_a_priority_change(
    service, infrastructure, hooks
):
    client, _pool = service
    assigned = referral_assigned(priority=Priority.P2, assignee_code=STATION, case_number="晋中-2026-000103")
    await send(infrastructure, assigned)
    await stages_of(client, assigned.referral_id, {"acknowledge"})
    copy = action(assigned, ReferralAction.INFORMATION_COPY_SENT, 2, detail={"copy_to": HOUSEHOLD_STATION})
    await send(infrastructure, copy)
    [notice] = await hooks_for(hooks, HOUSEHOLD_STATION, "copy", "晋中-2026-000103")
    assert "抄送" in notice["body"] and str(assigned.referral_id) not in notice["body"]

    raised = action(assigned, ReferralAction.PRIORITY_RAISED, 3, priority=Priority.P1, detail={"from": "P2"})
    await send(infrastructure, raised)
    [told] = await hooks_for(hooks, STATION, "priority", "晋中-2026-000103")
    assert "P1 紧急" in told["body"]


async def test_the_hotline_is_told_to_call_back_at_the_closing_and_the_callback_meets_its_clock(
    service, infrastructure
):
    client, pool = service
    assigned = referral_assigned(assignee_code=STATION, case_number="晋中-2026-000104")
    await send(infrastructure, assigned)
    await stages_of(client, assigned.referral_id, {"callback"})
    await send(infrastructure, action(assigned, ReferralAction.CLOSED, 2, status="closed"))

    async def told():
        return await pool.fetch(
            "SELECT subject FROM notifications WHERE referral_id = $1 AND kind = 'callback_due'", assigned.referral_id
        )

    [row] = await eventually(told, 60, "the callback notice")
    assert "晋中-2026-000104" in row["subject"]
    made = CallbackRecorded(
        report_id=assigned.report_id, referral_id=assigned.referral_id, reached=True, at=utcnow(), recorded_by="o"
    )
    await send(infrastructure, made)

    async def met():
        stages = await stages_of(client, assigned.referral_id, {"callback"})
        return stages if stages["callback"]["status"] == "met" else None

    stages = await eventually(met, 60, "the callback met")
    assert stages["acknowledge"]["status"] == "cancelled"


async def test_a_committee_member_issues_a_supervision_by_hand_on_an_overdue_stage(service, infrastructure, hooks):
    client, pool = service
    assigned = referral_assigned(
        priority=Priority.P3,
        assignee_code=STATION,
        assigned_at=utcnow() - timedelta(days=40),
        case_number="晋中-2026-000105",
    )
    await send(infrastructure, assigned)
    fresh = referral_assigned(priority=Priority.P3, assignee_code=STATION)
    await send(infrastructure, fresh)
    overdue = (await stages_of(client, assigned.referral_id, {"acknowledge"}))["acknowledge"]["deadline_id"]
    running = (await stages_of(client, fresh.referral_id, {"acknowledge"}))["acknowledge"]["deadline_id"]
    member = bearer(Role.COMMITTEE, COMMITTEE, "m-1")
    note = {"note": "请于今日内签收"}
    assert (await client.post(f"/v1/deadlines/{overdue}/supervision", json=note)).status_code == 403  # operator
    far = bearer(Role.COMMITTEE, "4420")
    assert (await client.post(f"/v1/deadlines/{overdue}/supervision", json=note, headers=far)).status_code == 404
    issued = await client.post(f"/v1/deadlines/{overdue}/supervision", json=note, headers=member)
    assert issued.status_code == 202, issued.text
    [event] = [e for e in await outbox(pool, "SupervisionIssued", assigned.referral_id) if e["issued_by"]]
    assert event["issued_by"] == "committee:m-1" and event["notify"] == ["station", "county_centre"]
    [notice] = await hooks_for(hooks, STATION, "supervision", "晋中-2026-000105")
    assert "协调机制成员" in notice["body"] and "请于今日内签收" not in notice["body"]
    not_late = await client.post(f"/v1/deadlines/{running}/supervision", json=note, headers=member)
    assert not_late.status_code == 409


async def test_a_platform_client_receives_its_work_orders_milestones_signed(service, infrastructure, hooks):
    client, pool = service
    admin = bearer(Role.ADMIN, "", "admin-1")
    entry = {"name": "晋中12345平台", "webhook_url": f"{hooks.url}/hook/jz12345"}
    assert (await client.put("/v1/platform-clients/jz12345", json=entry)).status_code == 403  # an operator
    assert (await client.put("/v1/platform-clients/bad%20name", json=entry, headers=admin)).status_code == 422
    assert (await client.put("/v1/platform-clients/jz12345", json=entry, headers=admin)).status_code == 200
    closed = ReportProgressed(
        report_id=uuid.uuid4(),
        hotline_ticket_id="GD-2026-0042",
        platform_client="jz12345",
        case_number="晋中-2026-000106",
        milestone=Milestone.CLOSED,
        at=utcnow(),
        outcome=Outcome.SERVICES_ARRANGED,
        outcome_text=Outcome.SERVICES_ARRANGED.reporter_text,
    )
    own_call = closed.model_copy(update={"event_id": uuid.uuid4(), "platform_client": None})
    await send(infrastructure, own_call)
    await send(infrastructure, closed)
    [told] = await hooks_for(hooks, "jz12345", "progress", "GD-2026-0042")
    assert told["work_order"] == {
        "hotline_ticket_id": "GD-2026-0042",
        "case_number": "晋中-2026-000106",
        "milestone": "closed",
        "milestone_name": "办结",
        "at": closed.at.isoformat(),
        "outcome_text": Outcome.SERVICES_ARRANGED.reporter_text,
    }
    [request] = [r for r in hooks.requests if r["path"] == "/hook/jz12345"]
    assert request["headers"]["date"].endswith("GMT")
    logged = await pool.fetchval(
        "SELECT count(*) FROM delivery_attempts a JOIN notifications n USING (notification_id) "
        "WHERE n.receiver_code = 'jz12345' AND a.outcome = 'delivered'"
    )
    assert logged == 1
