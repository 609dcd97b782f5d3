"""The notification service in-process on real Kafka and PostgreSQL, for a child under monitoring: the pairing
helper's and the follow-up visits' clocks, the county centre told of 较差 and 危险 and its decision on temporary
guardianship, a missed visit escalated, and the clocks ended when the referral leaves monitoring."""

import json
from datetime import datetime, timedelta

import asyncpg
import pytest

from services.notification.app import create_app
from services.notification.settings import NotificationSettings
from shared.domain.access import Role
from shared.domain.codes import AssigneeKind, Priority
from shared.events import Event, ReferralAction, ReferralActionRecorded, StationDirectoryChanged, utcnow
from tests.auth import WEBHOOK_SECRET, bearer, service_settings
from tests.demo_directory import knowing_the_demo_directory
from tests.factories import referral_assigned
from tests.integration.conftest import serving
from tests.kafka_tools import produce
from tests.receivers import HttpReceiver, http_receiver
from tests.waiting import eventually

STATION, CENTRE = "140724104", "140724"


@pytest.fixture(scope="module")
def hooks():
    with http_receiver(HttpReceiver(secret=WEBHOOK_SECRET)) as receiver:
        yield receiver


@pytest.fixture(scope="module")
async def service(infrastructure, new_database, hooks):
    url = await new_database("notification_monitoring")
    settings = service_settings(NotificationSettings, url, infrastructure.kafka_bootstrap_servers)
    async with serving(knowing_the_demo_directory(create_app(settings))) as client:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
        for code, kind, name in (
            (STATION, AssigneeKind.STATION, "大寨镇工作站"),
            (CENTRE, AssigneeKind.COUNTY_CENTRE, "昔阳县未成年人救助保护中心"),
        ):
            entry = StationDirectoryChanged(
                code=code,
                kind=kind,
                name=name,
                county_code=CENTRE,
                webhook_url=f"{hooks.url}/hook/{code}",
                updated_at=utcnow(),
            )
            await send(infrastructure, entry)

        async def stored():
            ours = "SELECT count(*) FROM receivers WHERE code = ANY($1) AND webhook_url LIKE $2"
            return await pool.fetchval(ours, [STATION, CENTRE], f"{hooks.url}/%") == 2

        await eventually(stored, 60, "the directory's entries")
        yield client, pool
        await pool.close()


async def send(infrastructure, event: Event, key: str = "k") -> None:
    await produce(infrastructure.kafka_bootstrap_servers, event.TOPIC, event.model_dump_json().encode(), key.encode())


def action(assigned, name: ReferralAction, version: int, at: datetime, **overrides) -> ReferralActionRecorded:
    values = {
        "referral_id": assigned.referral_id,
        "report_id": assigned.report_id,
        "version": version,
        "action": name,
        "actor": f"station:{STATION}",
        "at": at,
        "status": "monitoring",
        "assignee_code": assigned.assignee_code,
        "priority": assigned.priority,
        "case_number": assigned.case_number,
        "detail": {"at": at.isoformat()},
    }
    return ReferralActionRecorded(**(values | overrides))


def assessed(assigned, level: str, version: int, at: datetime, **detail) -> ReferralActionRecorded:
    told = {"level": level, "at": at.isoformat(), "monitoring": "started"} | detail
    return action(assigned, ReferralAction.ASSESSMENT_RECORDED, version, at, detail=told)


async def opened(infrastructure, case_number: str, at: datetime, code: str = STATION):
    assigned = referral_assigned(priority=Priority.P2, assignee_code=code, assigned_at=at, case_number=case_number)
    await send(infrastructure, assigned)
    return assigned


async def rows_of(client, referral_id, ready) -> list[dict]:
    """The referral's deadlines once `ready(rows)` holds."""

    async def probe():
        rows = (await client.get("/v1/deadlines", params={"referral_id": str(referral_id)})).json()
        return rows if ready(rows) else None

    return await eventually(probe, 60, "the referral's deadlines")


def of(rows: list[dict], stage: str) -> list[dict]:
    return [row for row in rows if row["stage"] == stage]


async def hooks_for(hooks: HttpReceiver, code: str, kind: str, *words: str) -> list[dict]:
    async def probe():
        return [
            body
            for body in list(hooks.acted_on.values())
            if body["receiver_code"] == code and body["kind"] == kind and all(w in body["subject"] for w in words)
        ]

    return await eventually(probe, 60, f"a {kind} notice to {code}")


async def test_a_poor_assessment_starts_the_clocks_tells_the_centre_and_each_visit_starts_the_next(
    service, infrastructure, hooks
):
    client, _pool = service
    now = utcnow()
    assigned = await opened(infrastructure, "晋中-2026-000401", now - timedelta(hours=2))
    poor = assessed(assigned, "poor", 3, now - timedelta(hours=1))
    await send(infrastructure, poor)
    rows = await rows_of(client, assigned.referral_id, lambda rows: of(rows, "helper") and of(rows, "follow_up_visit"))
    [helper], [visit] = of(rows, "helper"), of(rows, "follow_up_visit")
    assert (helper["assignee_code"], helper["status"], visit["assignee_code"]) == (STATION, "pending", STATION)
    assert datetime.fromisoformat(visit["due_at"]) == poor.at + timedelta(days=14)
    [notice] = await hooks_for(hooks, CENTRE, "monitoring", "晋中-2026-000401", "较差")
    assert "大寨镇工作站" in notice["body"] and STATION not in notice["body"]

    visited = now - timedelta(minutes=10)
    await send(infrastructure, action(assigned, ReferralAction.FOLLOW_UP_VISIT_RECORDED, 4, visited))
    rows = await rows_of(client, assigned.referral_id, lambda rows: len(of(rows, "follow_up_visit")) == 2)
    statuses = sorted((row["status"], row["starts_at"]) for row in of(rows, "follow_up_visit"))
    assert [status for status, _ in statuses] == ["met", "pending"]
    [following] = [row for row in of(rows, "follow_up_visit") if row["status"] == "pending"]
    assert datetime.fromisoformat(following["due_at"]) == visited + timedelta(days=14)


async def test_a_missed_visit_breaches_and_escalates_to_the_county_centre(service, infrastructure, hooks):
    client, pool = service
    long_ago = utcnow() - timedelta(days=30)
    assigned = await opened(infrastructure, "晋中-2026-000402", long_ago)
    await send(infrastructure, assessed(assigned, "poor", 3, long_ago + timedelta(days=1)))

    async def escalated():
        rows = await pool.fetch(
            "SELECT event_type, payload FROM outbox WHERE event_type IN ($1, $2)",
            "DeadlineBreached",
            "SupervisionIssued",
        )
        found = [(row["event_type"], json.loads(row["payload"])) for row in rows]
        mine = {
            kind: alert
            for kind, alert in found
            if alert["referral_id"] == str(assigned.referral_id) and alert["stage"] == "follow_up_visit"
        }
        return mine if len(mine) == 2 else None

    alerts = await eventually(escalated, 60, "the missed visit's breach and supervision")
    assert alerts["DeadlineBreached"]["notify"] == ["county_centre"]
    assert alerts["SupervisionIssued"]["notify"] == ["committee"]
    [notice] = await hooks_for(hooks, CENTRE, "breach", "晋中-2026-000402", "随访")
    assert "承办单位 大寨镇工作站" in notice["body"]
    committee = bearer(Role.COMMITTEE, "1407")
    figures = await client.get("/v1/on-time", params={"area": CENTRE, "stage": "follow_up_visit"}, headers=committee)
    assert figures.status_code == 200 and figures.json()["late"] >= 1
    overdue = (await client.get("/v1/overdue", params={"area": CENTRE}, headers=committee)).json()
    assert {"helper", "follow_up_visit"} <= {
        row["stage"] for row in overdue if row["referral_id"] == str(assigned.referral_id)
    }
    bad = await client.get("/v1/on-time", params={"area": CENTRE, "stage": "nap"}, headers=committee)
    assert bad.status_code == 422


async def test_leaving_monitoring_cancels_the_helper_and_visit_clocks(service, infrastructure):
    client, _pool = service
    now = utcnow()
    assigned = await opened(infrastructure, "晋中-2026-000403", now - timedelta(hours=3))
    await send(infrastructure, assessed(assigned, "fair", 3, now - timedelta(hours=2)))
    await rows_of(client, assigned.referral_id, lambda rows: of(rows, "follow_up_visit"))
    ended = action(assigned, ReferralAction.MONITORING_ENDED, 4, now, status="acknowledged")
    await send(infrastructure, ended)
    rows = await rows_of(
        client, assigned.referral_id, lambda rows: {r["status"] for r in of(rows, "helper")} == {"cancelled"}
    )
    assert [row["status"] for row in of(rows, "follow_up_visit")] == ["cancelled"]


async def test_a_dangerous_assessment_gives_the_county_centre_its_decision_clock(service, infrastructure, hooks):
    client, _pool = service
    now = utcnow()
    assigned = await opened(infrastructure, "晋中-2026-000404", now - timedelta(hours=3))
    dangerous = assessed(assigned, "dangerous", 3, now - timedelta(hours=1), police_required="true")
    await send(infrastructure, dangerous)
    rows = await rows_of(
        client, assigned.referral_id, lambda rows: of(rows, "guardianship_decision") and of(rows, "police_notice")
    )
    [decision] = of(rows, "guardianship_decision")
    assert (decision["assignee_code"], decision["status"]) == (CENTRE, "pending")
    assert datetime.fromisoformat(decision["due_at"]) == dangerous.at + timedelta(hours=24)
    centre = bearer(Role.COUNTY_CENTRE, CENTRE)
    held = (await client.get(f"/v1/stations/{CENTRE}/deadlines", headers=centre)).json()
    assert decision["deadline_id"] in {row["deadline_id"] for row in held}
    [notice] = await hooks_for(hooks, CENTRE, "monitoring", "晋中-2026-000404", "危险")
    assert "决定是否实施临时监护" in notice["body"]

    started = action(
        assigned, ReferralAction.GUARDIANSHIP_STARTED, 4, now, status="acknowledged", actor="county_centre:140724"
    )
    await send(infrastructure, started)
    rows = await rows_of(
        client, assigned.referral_id, lambda rows: of(rows, "guardianship_decision")[0]["status"] == "met"
    )
    assert {row["status"] for row in of(rows, "helper") + of(rows, "follow_up_visit")} == {"cancelled"}


async def test_the_policy_shows_the_monitoring_stages_by_level_and_takes_them_back(service):
    client, _pool = service
    current = (await client.get("/v1/policy")).json()
    assert current["limits"]["follow_up_visit"] == {
        "fair": {"months": 1},
        "poor": {"days": 14},
        "dangerous": {"days": 14},
    }
    admin = bearer(Role.ADMIN, "", "admin-1")
    changed = await client.put("/v1/policy", json={"limits": current["limits"]}, headers=admin)
    assert changed.status_code == 201, changed.text
    wrong = current["limits"] | {"helper": {"P1": {"hours": 1}, "P2": {"hours": 1}, "P3": {"hours": 1}}}
    refused = await client.put("/v1/policy", json={"limits": wrong}, headers=admin)
    assert refused.status_code == 422
