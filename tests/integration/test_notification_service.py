"""The notification service in-process on real Kafka and PostgreSQL: a referral gets its deadline."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.notification.app import create_app
from services.notification.settings import NotificationSettings
from shared.domain.access import Role
from shared.domain.codes import Priority
from shared.events import ReferralAction, ReferralActionRecorded, ReferralUnrouted, utcnow
from shared.timezones import CHINA
from shared.topics import REFERRAL_ACTIONS, REFERRAL_ASSIGNED, REFERRAL_UNROUTED
from tests.auth import bearer, service_settings
from tests.demo_directory import knowing_the_demo_directory
from tests.factories import referral_assigned
from tests.integration.conftest import serving
from tests.kafka_tools import produce
from tests.waiting import eventually


@pytest.fixture(scope="module")
async def notification(infrastructure, new_database):
    settings = service_settings(
        NotificationSettings, await new_database("notification"), infrastructure.kafka_bootstrap_servers
    )
    async with serving(knowing_the_demo_directory(create_app(settings))) as client:
        yield client


async def deadlines_after(client, infrastructure, *events) -> list[dict]:
    for event in events:
        await produce(
            infrastructure.kafka_bootstrap_servers,
            REFERRAL_ASSIGNED,
            event.model_dump_json().encode(),
            key=str(event.report_id).encode(),
        )

    async def deadlines():
        response = await client.get("/v1/deadlines", params={"referral_id": str(events[-1].referral_id)})
        return [row for row in response.json() if row["stage"] != "callback"]  # the hotline's (see closing the loop)

    return await eventually(deadlines, 60, "the deadline")


@pytest.mark.parametrize(("priority", "hours"), [(Priority.P1, 0.5), (Priority.P2, 4)])
async def test_an_assigned_referral_gets_a_deadline_for_each_stage(notification, infrastructure, priority, hours):
    assigned = referral_assigned(priority=priority)
    deadlines = await deadlines_after(notification, infrastructure, assigned)
    assert sorted(d["stage"] for d in deadlines) == ["acknowledge", "assessment", "first_contact", "home_visit"]
    [deadline] = [d for d in deadlines if d["stage"] == "acknowledge"]
    assert deadline["status"] == "pending"
    assert deadline["assignee_code"] == assigned.assignee_code
    assert datetime.fromisoformat(deadline["due_at"]) == assigned.assigned_at + timedelta(hours=hours)
    assert deadline["provisional"] is False


async def test_a_redelivered_assignment_makes_no_second_deadline(notification, infrastructure):
    assigned = referral_assigned()
    deadlines = await deadlines_after(notification, infrastructure, assigned, assigned, assigned)
    assert len(deadlines) == 4


async def test_overdue_stages_are_listed_for_the_area_with_their_supervision_state(notification, infrastructure):
    long_ago = datetime.now(UTC) - timedelta(days=40)
    assigned = referral_assigned(priority=Priority.P2, assigned_at=long_ago, assignee_code="140724104")
    await deadlines_after(notification, infrastructure, assigned)

    async def listed():
        response = await notification.get("/v1/overdue", params={"area": "1407"}, headers=bearer(Role.COMMITTEE, "14"))
        mine = [
            row
            for row in response.json()
            if row["referral_id"] == str(assigned.referral_id) and row["stage"] != "callback"
        ]
        return mine if len(mine) == 4 and all(row["supervision_issued"] for row in mine) else None

    rows = await eventually(listed, 30, "overdue stages with supervision issued")
    assert all(row["overdue_by_minutes"] > 0 for row in rows)
    outside = await notification.get("/v1/overdue", params={"area": "4420"}, headers=bearer(Role.COMMITTEE, "1407"))
    assert outside.status_code == 404


async def test_an_administrator_publishes_a_year_and_its_deadlines_are_no_longer_provisional(
    notification, infrastructure
):
    admin = bearer(Role.ADMIN, "", "admin-1")
    year = {
        "source": "测试数据（非真实通知）",
        "days": [{"day": "2027-03-05", "is_workday": False, "name": "测试假日"}],
    }
    assert (await notification.put("/v1/calendar/2027", json=year)).status_code == 403  # an operator
    bad = {
        "source": "测试",
        "days": [{"day": "2027-03-06", "is_workday": False}, {"day": "2028-01-03", "is_workday": False}],
    }
    rejected = await notification.put("/v1/calendar/2027", json=bad, headers=admin)
    assert rejected.status_code == 422
    assert [e["field"] for e in rejected.json()["errors"]] == ["days.0.is_workday", "days.1.day"]
    known = await notification.put("/v1/calendar/2026", json=year, headers=admin)
    assert [e["code"] for e in known.json()["errors"]] == ["known_to_library"]
    published = await notification.put("/v1/calendar/2027", json=year, headers=admin)
    assert published.json()["known_from"] == "administrator"

    thursday = datetime(2027, 3, 4, 9, 0, tzinfo=CHINA)
    assigned = referral_assigned(priority=Priority.P3, assigned_at=thursday)
    deadlines = await deadlines_after(notification, infrastructure, assigned)
    [acknowledge] = [d for d in deadlines if d["stage"] == "acknowledge"]
    assert acknowledge["provisional"] is False
    assert datetime.fromisoformat(acknowledge["due_at"]) == datetime(2027, 3, 9, 0, 0, tzinfo=CHINA)  # Friday off


async def test_an_admin_changes_the_policy_and_running_deadlines_keep_their_version(notification, infrastructure):
    admin = bearer(Role.ADMIN, "", "admin-1")
    before = (await notification.get("/v1/policy")).json()
    earlier = referral_assigned(priority=Priority.P2)
    [old] = [d for d in await deadlines_after(notification, infrastructure, earlier) if d["stage"] == "acknowledge"]

    limits = before["limits"] | {"acknowledge": before["limits"]["acknowledge"] | {"P2": {"hours": 2}}}
    assert (await notification.put("/v1/policy", json={"limits": limits})).status_code == 403  # an operator
    incomplete = {"limits": {"acknowledge": {"P1": {"hours": 1}}}}
    assert (await notification.put("/v1/policy", json=incomplete, headers=admin)).status_code == 422
    both = limits | {"home_visit": limits["home_visit"] | {"P3": {"hours": 5, "working_days": 2}}}
    assert (await notification.put("/v1/policy", json={"limits": both}, headers=admin)).status_code == 422
    changed = await notification.put("/v1/policy", json={"limits": limits}, headers=admin)
    assert changed.status_code == 201
    version = changed.json()["version"]
    assert version == before["version"] + 1

    later = referral_assigned(priority=Priority.P2)
    [new] = [d for d in await deadlines_after(notification, infrastructure, later) if d["stage"] == "acknowledge"]
    assert (new["policy_version"], old["policy_version"]) == (version, before["version"])
    assert datetime.fromisoformat(new["due_at"]) - later.assigned_at == timedelta(hours=2)
    kept = (await notification.get("/v1/deadlines", params={"referral_id": str(earlier.referral_id)})).json()
    assert [d["due_at"] for d in kept if d["stage"] == "acknowledge"] == [old["due_at"]]
    assert (await notification.get(f"/v1/policy/{before['version']}")).json()["limits"] == before["limits"]


async def test_a_priority_change_on_kafka_retimes_the_running_deadlines(notification, infrastructure):
    assigned = referral_assigned(priority=Priority.P3)
    await deadlines_after(notification, infrastructure, assigned)
    raised = ReferralActionRecorded(
        referral_id=assigned.referral_id,
        report_id=assigned.report_id,
        version=2,
        action=ReferralAction.PRIORITY_CHANGED,
        actor="county_centre:140724",
        at=utcnow(),
        status="assigned",
        assignee_code=assigned.assignee_code,
        priority=Priority.P1,
    )
    await produce(infrastructure.kafka_bootstrap_servers, REFERRAL_ACTIONS, raised.model_dump_json().encode())

    async def retimed():
        response = await notification.get("/v1/deadlines", params={"referral_id": str(assigned.referral_id)})
        rows = [row for row in response.json() if row["stage"] != "callback"]  # whatever the priority
        return rows if {row["priority"] for row in rows} == {"P1"} else None

    rows = await eventually(retimed, 60, "the deadlines at P1")
    [acknowledge] = [row for row in rows if row["stage"] == "acknowledge"]
    assert datetime.fromisoformat(acknowledge["due_at"]) - assigned.assigned_at == timedelta(minutes=30)


async def test_notifications_are_shown_to_whom_the_case_belongs(notification, infrastructure):
    assigned = referral_assigned(assignee_code="140724104")
    await deadlines_after(notification, infrastructure, assigned)
    params = {"referral_id": str(assigned.referral_id)}

    async def as_station(code: str) -> list[dict]:
        response = await notification.get("/v1/notifications", params=params, headers=bearer(Role.STATION, code))
        return [row for row in response.json() if row["kind"] == "assigned"]

    [mine] = await eventually(lambda: as_station("140724104"), 30, "the station's notification")
    assert (mine["kind"], mine["address"]) == ("assigned", None)  # addresses are for administrators
    assert await as_station("140725103") == []
    unbounded = await notification.get("/v1/notifications")
    assert unbounded.status_code == 422 and unbounded.json()["errors"][0]["field"] == "referral_id"
    anonymous = await notification.get("/v1/notifications", params=params, headers={"Authorization": ""})
    assert anonymous.status_code == 401


async def test_the_dispatch_limits_are_policy_shown_and_changed_like_the_stages(notification, infrastructure):
    admin = bearer(Role.ADMIN, "", "admin-1")
    before = (await notification.get("/v1/policy")).json()
    assert before["limits"]["dispatch"] == {"P1": {"hours": 0.25}, "P2": {"hours": 1.0}, "P3": {"working_days": 1}}
    limits = before["limits"] | {"dispatch": before["limits"]["dispatch"] | {"P1": {"hours": 0.5}}}
    changed = await notification.put("/v1/policy", json={"limits": limits}, headers=admin)
    assert changed.status_code == 201 and changed.json()["limits"]["dispatch"]["P1"] == {"hours": 0.5}

    waiting = ReferralUnrouted(
        referral_id=uuid.uuid4(), report_id=uuid.uuid4(), reason="unresolved_address", priority=Priority.P1
    )
    await produce(infrastructure.kafka_bootstrap_servers, REFERRAL_UNROUTED, waiting.model_dump_json().encode())

    async def dispatch_deadline():
        response = await notification.get("/v1/deadlines", params={"referral_id": str(waiting.referral_id)})
        return [row for row in response.json() if row["stage"] == "dispatch"]

    [deadline] = await eventually(dispatch_deadline, 60, "the dispatch deadline")
    assert (deadline["stage"], deadline["assignee_code"], deadline["policy_version"]) == (
        "dispatch",
        "hotline",
        changed.json()["version"],
    )
    assert datetime.fromisoformat(deadline["due_at"]) - waiting.occurred_at == timedelta(minutes=30)
