"""The unrouted queue's clocks, and clocks that follow the case, across referral and notification on real
Kafka and PostgreSQL: the dispatch deadline and its alerts, a dispatch that starts the station's clocks,
and a decline into the queue that leaves the declining station no clocks."""

import json
from datetime import datetime, timedelta

import pytest

from services.notification.app import create_app as create_notification
from services.notification.application.timer_firing import TimerFiring
from services.notification.settings import NotificationSettings
from services.referral.app import create_app as create_referral
from services.referral.settings import ReferralSettings
from shared.database import create_pool
from shared.domain.access import Role
from shared.domain.codes import Concern
from shared.topics import REPORT_RECEIVED
from tests.auth import bearer, service_settings
from tests.demo_directory import knowing_the_demo_directory
from tests.factories import report_received
from tests.integration.conftest import serving
from tests.kafka_tools import produce
from tests.waiting import eventually

# 冶头镇: a station few other tests send to, so that its inbox (the soonest 5,000 clocks, from every test's events
# on the shared broker) surely holds this module's cases.
YETOU, PINGTOU = "140724102", "140725103"
NOBODYS_TOWNSHIP = "110101001"  # 北京市东城区东华门街道: no station, no centre in the demo data
YETOU_STATION = bearer(Role.STATION, YETOU, "yetou")
ADMIN = bearer(Role.ADMIN, "", "admin-1")


@pytest.fixture(scope="module")
async def services(infrastructure, referral_database, new_database):
    kafka = infrastructure.kafka_bootstrap_servers
    notification_url = await new_database("notification")
    referral_settings = service_settings(ReferralSettings, await referral_database(), kafka)
    # Timers are fired below with a clock of the test's own; nothing is delivered.
    notification_settings = service_settings(
        NotificationSettings, notification_url, kafka, run_scheduler=False, run_dispatcher=False
    )
    async with (
        serving(create_referral(referral_settings)) as referral,
        serving(knowing_the_demo_directory(create_notification(notification_settings))) as notification,
    ):
        pool = await create_pool(notification_url)
        try:
            yield referral, notification, pool
        finally:
            await pool.close()


async def opened(referral, infrastructure, division_code: str, **overrides) -> dict:
    event = report_received(division_code, **overrides)
    payload = event.model_dump_json().encode()
    await produce(infrastructure.kafka_bootstrap_servers, REPORT_RECEIVED, payload, key=str(event.report_id).encode())

    async def found():
        return (await referral.get("/v1/referrals", params={"report_id": str(event.report_id)})).json()

    [referral_found] = await eventually(found, 60, "the referral")
    return referral_found


async def clocks(notification, referral_id: str, ready, headers: dict | None = None) -> list[dict]:
    """The referral's deadlines, once `ready` says they are as expected."""

    async def probe():
        response = await notification.get("/v1/deadlines", params={"referral_id": referral_id}, headers=headers)
        rows = [row for row in response.json() if row["stage"] != "callback"]  # the hotline's, kept apart
        return rows if ready({row["stage"]: row for row in rows}) else None

    return await eventually(probe, 60, "the deadlines")


def by_stage(rows: list[dict]) -> dict[str, dict]:
    return {row["stage"]: row for row in rows}


async def test_an_unrouted_p1_has_a_fifteen_minute_dispatch_deadline_whose_breach_alerts_hotline_and_committee(
    services, infrastructure
):
    referral, notification, pool = services
    hotline = {"name": "12345热线值班长", "webhook_url": "http://127.0.0.1:9/hotline"}
    committee = {"name": "北京市未成年人保护工作委员会", "webhook_url": "http://127.0.0.1:9/committee"}
    assert (await notification.put("/v1/hotline", json=hotline, headers=ADMIN)).status_code == 200
    assert (await notification.put("/v1/committees/11", json=committee, headers=ADMIN)).status_code == 200

    found = await opened(referral, infrastructure, NOBODYS_TOWNSHIP, concerns=[Concern.SEXUAL_ABUSE])
    assert (found["status"], found["priority"]) == ("unrouted", "P1")
    [dispatch] = await clocks(notification, found["referral_id"], lambda rows: "dispatch" in rows)
    assert (dispatch["assignee_code"], dispatch["area_code"], dispatch["status"]) == (
        "hotline",
        NOBODYS_TOWNSHIP,
        "pending",
    )
    started = datetime.fromisoformat(dispatch["starts_at"])
    assert datetime.fromisoformat(dispatch["due_at"]) - started == timedelta(minutes=15)
    queue = (await notification.get("/v1/hotline/deadlines")).json()
    assert dispatch["deadline_id"] in [row["deadline_id"] for row in queue]
    assert (await notification.get("/v1/hotline/deadlines", headers=YETOU_STATION)).status_code == 403

    firing = TimerFiring(pool, clock=lambda: started + timedelta(minutes=15, seconds=1))
    while await firing.fire_due():  # earlier tests' timers fall due too, oldest first
        pass
    alerts = await pool.fetch(
        "SELECT event_type, payload FROM outbox WHERE payload::jsonb ->> 'referral_id' = $1 "
        "AND event_type IN ('DeadlineReminderDue', 'DeadlineBreached', 'SupervisionIssued')",
        found["referral_id"],
    )
    assert {(row["event_type"], tuple(json.loads(row["payload"])["notify"])) for row in alerts} == {
        ("DeadlineReminderDue", ("hotline",)),
        ("DeadlineBreached", ("hotline",)),
        ("SupervisionIssued", ("committee",)),
    }
    told = await pool.fetch(
        "SELECT kind, receiver_code FROM notifications WHERE referral_id = $1", dispatch["referral_id"]
    )
    assert sorted((row["kind"], row["receiver_code"]) for row in told) == [
        ("breach", "hotline"),
        ("reminder", "hotline"),
        ("supervision", "11"),
        ("unrouted", "hotline"),  # told the moment it entered the queue
    ]


async def test_dispatching_meets_the_dispatch_deadline_and_starts_the_stations_clocks(services, infrastructure):
    referral, notification, _pool = services
    found = await opened(referral, infrastructure, NOBODYS_TOWNSHIP)
    await clocks(notification, found["referral_id"], lambda rows: "dispatch" in rows)
    body = {"division_code": YETOU, "reason": "来电人确认住在冶头镇"}
    dispatched = await referral.post(f"/v1/referrals/{found['referral_id']}/reassign", json=body)
    assert dispatched.status_code == 200, dispatched.text

    rows = by_stage(await clocks(notification, found["referral_id"], lambda rows: len(rows) == 5))
    assert rows.pop("dispatch")["status"] == "met"
    assert {(row["status"], row["assignee_code"]) for row in rows.values()} == {("pending", YETOU)}
    inbox = (await notification.get(f"/v1/stations/{YETOU}/deadlines", headers=YETOU_STATION)).json()
    assert sorted(row["stage"] for row in inbox if row["referral_id"] == found["referral_id"]) == sorted(rows)


async def test_a_decline_to_a_township_with_no_station_leaves_the_declining_station_no_clocks(services, infrastructure):
    referral, notification, pool = services
    found = await opened(referral, infrastructure, YETOU)
    referral_id = found["referral_id"]
    await clocks(notification, referral_id, lambda rows: len(rows) == 4)
    body = {"reason": "儿童住在北京东华门", "suggested_division_code": NOBODYS_TOWNSHIP}
    declined = await referral.post(f"/v1/referrals/{referral_id}/decline", json=body, headers=YETOU_STATION)
    assert (declined.status_code, declined.json()["status"]) == (200, "unrouted")

    rows = by_stage(await clocks(notification, referral_id, lambda rows: "dispatch" in rows))
    assert rows.pop("dispatch")["status"] == "pending"
    assert {(row["status"], row["assignee_code"]) for row in rows.values()} == {("paused", "hotline")}
    inbox = (await notification.get(f"/v1/stations/{YETOU}/deadlines", headers=YETOU_STATION)).json()
    assert [row for row in inbox if row["referral_id"] == referral_id] == []
    seen = await notification.get("/v1/deadlines", params={"referral_id": referral_id}, headers=YETOU_STATION)
    assert seen.json() == []
    running = await pool.fetchval(
        "SELECT count(*) FROM timers t JOIN deadlines d USING (deadline_id) "
        "WHERE d.referral_id = $1 AND d.stage NOT IN ('dispatch', 'callback') AND t.status = 'pending'",
        found["referral_id"],
    )
    assert running == 0  # no reminder will reach the station that declined

    dispatched = await referral.post(
        f"/v1/referrals/{referral_id}/reassign", json={"division_code": PINGTOU, "reason": "核实为平头镇"}
    )
    assert dispatched.status_code == 200, dispatched.text
    rows = by_stage(await clocks(notification, referral_id, lambda rows: rows["dispatch"]["status"] == "met"))
    rows.pop("dispatch")
    assert {(row["status"], row["assignee_code"]) for row in rows.values()} == {("pending", PINGTOU)}
