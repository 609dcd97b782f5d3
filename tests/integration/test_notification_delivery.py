"""Notifications on the real database, delivered to real local receivers: webhook (signed, retried, dead),
SMTP and an SMS gateway; who is told of what; a failure told to the level above."""

import asyncio
import itertools
import json
import time
from datetime import timedelta

import httpx
import pytest

from services.notification.adapters.channels.mail import EmailChannel
from services.notification.adapters.channels.sms import SmsChannel, SmsRequestShape
from services.notification.adapters.channels.webhook import WebhookChannel
from services.notification.app import MIGRATIONS
from services.notification.application.clocks import Rules, start_or_move_clocks
from services.notification.application.delivery import Delivery
from services.notification.application.receiver_upkeep import keep_directory_entry
from services.notification.application.timer_firing import TimerFiring
from services.notification.domain.delivery_rules import RetryPolicy
from shared.database import apply_migrations, create_pool
from shared.domain.codes import AssigneeKind, Priority
from shared.events import StationDirectoryChanged, utcnow
from tests.auth import WEBHOOK_SECRET
from tests.factories import referral_assigned
from tests.receivers import HttpReceiver, http_receiver, smtp_server

SECRET = WEBHOOK_SECRET
STATION, CENTRE, COMMITTEE = "140724104", "140724", "1407"
QUICK_RETRIES = RetryPolicy(max_attempts=3, first_delay=timedelta(seconds=0.2), longest_delay=timedelta(seconds=1))


@pytest.fixture
async def pool(new_database):
    url = await new_database("delivery")
    apply_migrations(url, MIGRATIONS)
    pool = await create_pool(url)
    yield pool
    await pool.close()


@pytest.fixture
async def http_client():
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


async def add_receiver(pool, code: str, kind: str, **contacts: str | None) -> None:
    """The receiver with these contacts, whatever the stations directory's topic told the service before or
    tells it later (its entries are older than a day ahead, and an older entry changes nothing)."""
    await pool.execute(
        "INSERT INTO receivers (code, kind, name, email, sms_phone, webhook_url, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, now() + interval '1 day') "
        "ON CONFLICT (kind, code) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, "
        "sms_phone = EXCLUDED.sms_phone, webhook_url = EXCLUDED.webhook_url, active = true, "
        "updated_at = EXCLUDED.updated_at",
        code,
        kind,
        f"{kind} {code}",
        contacts.get("email"),
        contacts.get("sms_phone"),
        contacts.get("webhook_url"),
    )


async def deliver_until_settled(dispatcher: Delivery, pool, seconds: float = 20) -> None:
    """Runs the dispatcher until nothing is pending (bounded in time)."""
    deadline = time.monotonic() + seconds
    while await pool.fetchval("SELECT count(*) FROM notifications WHERE status = 'pending'"):
        assert time.monotonic() < deadline, "notifications still pending"
        if not await dispatcher.deliver_due():
            await asyncio.sleep(0.05)


async def log_of(pool, notification_id) -> list[tuple[str, str | None]]:
    rows = await pool.fetch(
        "SELECT outcome, error FROM delivery_attempts WHERE notification_id = $1 ORDER BY attempt", notification_id
    )
    return [(row["outcome"], row["error"]) for row in rows]


async def test_each_step_of_the_ladder_reaches_its_receiver_signed_and_logged(pool, http_client):
    with http_receiver(HttpReceiver(secret=SECRET)) as hooks:
        for code, kind in ((STATION, "station"), (CENTRE, "county_centre"), (COMMITTEE, "committee")):
            await add_receiver(pool, code, kind, webhook_url=f"{hooks.url}/hook/{code}")
        start = utcnow() - timedelta(hours=5)  # P2 acknowledgement: reminder at 3 h, breach at 4 h
        assigned = referral_assigned(priority=Priority.P2, assigned_at=start, assignee_code=STATION)
        await start_or_move_clocks(pool, assigned)
        await TimerFiring(pool).fire_due()
        await deliver_until_settled(Delivery(pool, {"webhook": WebhookChannel(http_client, SECRET)}), pool)

    received = sorted((request["path"], request["body"]["kind"]) for request in hooks.requests)
    assert received == [
        (f"/hook/{CENTRE}", "breach"),
        (f"/hook/{STATION}", "assigned"),
        (f"/hook/{STATION}", "reminder"),
    ]
    assert hooks.bad_signatures == 0
    assert all(request["body"]["referral_id"] == str(assigned.referral_id) for request in hooks.requests)
    assert all(
        request["headers"]["x-notification-id"] == request["body"]["notification_id"] for request in hooks.requests
    )
    rows = await pool.fetch("SELECT notification_id, status FROM notifications")
    assert {row["status"] for row in rows} == {"delivered"}
    for row in rows:
        assert await log_of(pool, row["notification_id"]) == [("delivered", None)]


async def test_a_failing_webhook_is_retried_with_growing_delays_and_acted_on_once(pool, http_client):
    with http_receiver(HttpReceiver(secret=SECRET, failures_first=2)) as hook:
        await add_receiver(pool, STATION, "station", webhook_url=f"{hook.url}/hook/{STATION}")
        await start_or_move_clocks(pool, referral_assigned(assignee_code=STATION))
        channels = {"webhook": WebhookChannel(http_client, SECRET)}
        await deliver_until_settled(Delivery(pool, channels, QUICK_RETRIES), pool)

    [notification] = await pool.fetch("SELECT notification_id, status, attempts FROM notifications")
    assert (notification["status"], notification["attempts"]) == ("delivered", 3)
    assert await log_of(pool, notification["notification_id"]) == [
        ("failed", "http_500"),
        ("failed", "http_500"),
        ("delivered", None),
    ]
    starts = await pool.fetch(
        "SELECT started_at, finished_at FROM delivery_attempts WHERE notification_id = $1 ORDER BY attempt",
        notification["notification_id"],
    )
    waits = [
        (later["started_at"] - earlier["finished_at"]).total_seconds() for earlier, later in itertools.pairwise(starts)
    ]
    assert waits[0] >= 0.2 and waits[1] >= 0.4  # 0.2 s, then doubled
    assert len(hook.requests) == 3 and len(hook.acted_on) == 1


async def test_after_its_last_attempt_a_notification_is_dead_and_the_centre_is_told(pool, http_client):
    with (
        http_receiver(HttpReceiver(secret=SECRET, always_fail=True)) as broken,
        http_receiver(HttpReceiver(secret=SECRET)) as centre,
    ):
        await add_receiver(pool, STATION, "station", webhook_url=f"{broken.url}/hook/{STATION}")
        await add_receiver(pool, CENTRE, "county_centre", webhook_url=f"{centre.url}/hook/{CENTRE}")
        assigned = referral_assigned(assignee_code=STATION)
        await start_or_move_clocks(pool, assigned)
        await deliver_until_settled(
            Delivery(pool, {"webhook": WebhookChannel(http_client, SECRET)}, QUICK_RETRIES), pool
        )

    dead = await pool.fetchrow("SELECT * FROM notifications WHERE receiver_code = $1", STATION)
    assert (dead["status"], dead["attempts"], len(broken.requests)) == ("dead", 3, 3)
    [failed_event] = await pool.fetch("SELECT payload FROM outbox WHERE event_type = 'NotificationFailed'")
    failed = json.loads(failed_event["payload"])
    assert (failed["notification_id"], failed["receiver_code"], failed["error"]) == (
        str(dead["notification_id"]),
        STATION,
        "http_500",
    )
    [alert] = centre.acted_on.values()
    assert alert["kind"] == "delivery_failed" and STATION in alert["subject"]
    assert alert["referral_id"] == str(assigned.referral_id)


async def test_a_receiver_nobody_can_reach_makes_a_dead_notification_and_an_alert_at_once(pool, http_client):
    with http_receiver(HttpReceiver(secret=SECRET)) as centre:
        await add_receiver(pool, CENTRE, "county_centre", webhook_url=f"{centre.url}/hook/{CENTRE}")
        await start_or_move_clocks(pool, referral_assigned(assignee_code=STATION))  # the station is not known
        await deliver_until_settled(Delivery(pool, {"webhook": WebhookChannel(http_client, SECRET)}), pool)
    rows = await pool.fetch("SELECT kind, receiver_code, channel, status FROM notifications ORDER BY created_at")
    assert [tuple(row) for row in rows] == [
        ("assigned", STATION, "none", "dead"),
        ("delivery_failed", CENTRE, "webhook", "delivered"),
    ]


async def test_email_is_delivered_over_smtp_with_the_notification_id_as_message_id(pool):
    with smtp_server() as mailbox:
        await add_receiver(pool, STATION, "station", email="dazhai@example.org")
        await start_or_move_clocks(
            pool, referral_assigned(assignee_code=STATION, priority=Priority.P1), Rules(channels=frozenset({"email"}))
        )
        channel = EmailChannel("127.0.0.1", mailbox.port, "noreply@child-protection.invalid", timeout=5)
        await deliver_until_settled(Delivery(pool, {"email": channel}), pool)

    notification = await pool.fetchrow("SELECT notification_id, status FROM notifications")
    [message] = mailbox.messages
    assert notification["status"] == "delivered"
    assert message["X-Envelope-To"] == "dazhai@example.org"
    assert message["Message-ID"] == f"<{notification['notification_id']}@cp-notification>"
    assert "P1 紧急" in message["Subject"]


@pytest.mark.parametrize(("answer", "status", "log"), [("0", "delivered", None), ("41", "dead", "sms_refused")])
async def test_sms_goes_to_the_gateway_in_the_configured_shape(pool, http_client, answer, status, log):
    with http_receiver(HttpReceiver(answer={"code": answer})) as gateway:
        shape = SmsRequestShape(
            url=f"{gateway.url}/sms/send",
            template={"mobile": "{phone}", "content": "{text}", "msg_id": "{notification_id}", "sign": "未保"},
            headers={"X-Api-Key": "gateway-key"},
            success_field="code",
            success_value="0",
        )
        await add_receiver(pool, STATION, "station", sms_phone="13800000000")
        rules = Rules(channels=frozenset({"sms"}))
        await start_or_move_clocks(pool, referral_assigned(assignee_code=STATION), rules)
        retries = RetryPolicy(max_attempts=1)
        await deliver_until_settled(Delivery(pool, {"sms": SmsChannel(http_client, shape)}, retries), pool)

    notification = await pool.fetchrow(
        "SELECT notification_id, status, subject FROM notifications WHERE receiver_code = $1", STATION
    )
    [request] = gateway.requests
    assert request["path"] == "/sms/send" and request["headers"]["x-api-key"] == "gateway-key"
    assert request["body"] == {
        "mobile": "13800000000",
        "content": notification["subject"],
        "msg_id": str(notification["notification_id"]),
        "sign": "未保",
    }
    assert notification["status"] == status
    assert (await log_of(pool, notification["notification_id"]))[-1][1] == log


async def test_a_move_tells_the_new_holder_and_an_older_move_tells_nobody(pool):
    assigned = referral_assigned(assignee_code=STATION, version=1)
    moved = assigned.model_copy(
        update={
            "event_id": referral_assigned().event_id,
            "assignee_code": "140725103",
            "version": 3,
            "reason": "declined",
        }
    )
    stale = assigned.model_copy(
        update={"event_id": referral_assigned().event_id, "assignee_code": "140701001", "version": 2}
    )
    for event in (assigned, moved, stale):
        await start_or_move_clocks(pool, event)
    rows = await pool.fetch(
        "SELECT receiver_code, subject FROM notifications WHERE kind = 'assigned' ORDER BY created_at"
    )
    assert [row["receiver_code"] for row in rows] == [STATION, "140725103"]
    assert rows[1]["subject"].startswith("【退回改派】")


async def test_the_directory_keeps_the_newest_entry_of_a_station(pool):
    newer = StationDirectoryChanged(
        code=STATION,
        kind=AssigneeKind.STATION,
        name="大寨镇工作站",
        county_code=CENTRE,
        webhook_url="https://new.example.org/hook",
        updated_at=utcnow(),
    )
    older = newer.model_copy(
        update={
            "event_id": referral_assigned().event_id,
            "webhook_url": "https://old.example.org/hook",
            "updated_at": newer.updated_at - timedelta(hours=1),
        }
    )
    await keep_directory_entry(pool, newer)
    await keep_directory_entry(pool, older)
    assert await pool.fetchval("SELECT webhook_url FROM receivers WHERE code = $1", STATION) == newer.webhook_url
