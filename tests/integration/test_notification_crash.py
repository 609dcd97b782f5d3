"""kill -9 of a real notification process while it fires timers and delivers notifications: after a restart,
every timer has fired exactly once, every alert has exactly one notification, and every notification
reached its receiver, which acted on each once."""

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest

from deploy.local.process import REPO_ROOT, free_port
from services.notification.app import MIGRATIONS
from services.notification.application.clocks import start_or_move_clocks
from shared.database import apply_migrations, create_pool
from shared.domain.codes import Priority
from shared.events import utcnow
from shared.topics import ALL_TOPICS
from tests.artifacts import ARTIFACTS
from tests.auth import JWT_SECRET, WEBHOOK_SECRET
from tests.factories import referral_assigned
from tests.kafka_tools import start_group_at_end
from tests.receivers import HttpReceiver, http_receiver

REFERRALS = 150  # x 5 stages (the callback too) x 3 timers = 2,250 timers, all due
ALERT_TYPES = ("DeadlineReminderDue", "DeadlineBreached", "SupervisionIssued")


@pytest.fixture
async def pool(new_database):
    url = await new_database("crash")
    apply_migrations(url, MIGRATIONS)
    pool = await create_pool(url)
    yield pool, url
    await pool.close()


def start_notification(database_url: str, kafka: str, group: str, log_path) -> subprocess.Popen:
    environment = dict(os.environ) | {
        "NOTIFICATION_DATABASE_URL": database_url,
        "NOTIFICATION_KAFKA_BOOTSTRAP_SERVERS": kafka,
        "NOTIFICATION_HTTP_PORT": str(free_port()),
        "NOTIFICATION_CONSUMER_GROUP": group,
        "NOTIFICATION_ENVIRONMENT": "development",
        "NOTIFICATION_SCHEDULER_BATCH": "10",
        "NOTIFICATION_DELIVERY_BATCH": "10",
        "NOTIFICATION_DELIVERY_RETRY_SECONDS": "0.5",
        "NOTIFICATION_DELIVERY_TIMEOUT_SECONDS": "2",
        "NOTIFICATION_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "JWT_SECRET": JWT_SECRET,
    }
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "services.notification"], cwd=REPO_ROOT, env=environment, stdout=log, stderr=log
        )


async def wait_for(check, seconds: float, what: str, interval: float = 0.01) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(interval)


async def test_a_killed_scheduler_loses_and_duplicates_nothing(pool, infrastructure):
    (ARTIFACTS / "crash-test-notification.log").unlink(missing_ok=True)
    pool, url = pool
    with http_receiver(HttpReceiver(secret=WEBHOOK_SECRET)) as hooks:
        receivers = (("140724104", "station"), ("140724", "county_centre"), ("1407", "committee"))
        for code, kind in (*receivers, ("hotline", "hotline")):  # the hotline holds each case's callback
            await pool.execute(
                "INSERT INTO receivers (code, kind, name, webhook_url, updated_at) VALUES ($1, $2, $3, $4, now())",
                code,
                kind,
                f"{kind} {code}",
                f"{hooks.url}/hook/{code}",
            )
        start = utcnow() - timedelta(days=60)
        referral_ids = []
        for _ in range(REFERRALS):
            assigned = referral_assigned(priority=Priority.P2, assigned_at=start, assignee_code="140724104")
            referral_ids.append(assigned.referral_id)
            await start_or_move_clocks(pool, assigned)
        timers = await pool.fetchval("SELECT count(*) FROM timers")

        async def fired() -> int:
            return await pool.fetchval("SELECT count(*) FROM timers WHERE status = 'fired'")

        async def delivering_alerts() -> bool:
            return await pool.fetchval(
                "SELECT EXISTS (SELECT 1 FROM notifications WHERE status = 'delivered' AND kind <> 'assigned')"
            )

        # The process reads only events that come after it starts, not those of earlier tests.
        group, kafka = f"crash-{uuid.uuid4().hex[:8]}", infrastructure.kafka_bootstrap_servers
        await start_group_at_end(kafka, group, list(ALL_TOPICS))  # every topic it reads, now or later
        process = start_notification(url, kafka, group, ARTIFACTS / "crash-test-notification.log")
        try:
            await wait_for(delivering_alerts, 90, "the first alerts to be delivered")
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
        fired_at_kill = await fired()
        delivered_at_kill = await pool.fetchval("SELECT count(*) FROM notifications WHERE status = 'delivered'")

        process = start_notification(url, kafka, group, ARTIFACTS / "crash-test-notification.log")
        try:

            async def settled() -> bool:
                pending = await pool.fetchval(
                    "SELECT (SELECT count(*) FROM timers WHERE status = 'pending') "
                    "+ (SELECT count(*) FROM notifications WHERE status = 'pending') "
                    "+ (SELECT count(*) FROM outbox WHERE published_at IS NULL)"
                )
                return pending == 0

            await wait_for(settled, 300, "every timer fired, notification delivered and event published", 0.5)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)

    alerts = await pool.fetch(
        "SELECT event_id, payload::jsonb ->> 'deadline_id' AS deadline_id, event_type FROM outbox "
        "WHERE event_type = ANY($1::text[]) AND (payload::jsonb ->> 'referral_id')::uuid = ANY($2::uuid[])",
        list(ALERT_TYPES),
        referral_ids,
    )
    ours = await pool.fetch(
        "SELECT notification_id, cause_event_id, status FROM notifications WHERE referral_id = ANY($1::uuid[])",
        referral_ids,
    )
    alert_ids = {row["event_id"] for row in alerts}
    caused_by_alerts = [row for row in ours if row["cause_event_id"] in alert_ids]
    sent_again = len(hooks.requests) - len({request["body"]["notification_id"] for request in hooks.requests})
    print(
        f"timers {timers}, fired before the kill {fired_at_kill}, alerts {len(alerts)}, notifications {len(ours)} "
        f"({delivered_at_kill} delivered before the kill), "
        f"webhook requests {len(hooks.requests)} ({sent_again} sent again after the kill), "
        f"acted on {len(hooks.acted_on)}"
    )
    assert 0 < fired_at_kill < timers, "the kill did not land while timers were firing"
    assert 0 < delivered_at_kill < len(ours), "the kill did not land while notifications were delivered"
    assert len(alerts) == len({(row["deadline_id"], row["event_type"]) for row in alerts}) == timers
    assert len(caused_by_alerts) == len({row["cause_event_id"] for row in caused_by_alerts}) == timers
    assert {row["status"] for row in ours} == {"delivered"}
    every_notification = {
        str(row["notification_id"]) for row in await pool.fetch("SELECT notification_id FROM notifications")
    }
    assert {str(row["notification_id"]) for row in ours} <= set(hooks.acted_on) <= every_notification
    assert hooks.bad_signatures == 0
