"""The notification service in-process on real Kafka and PostgreSQL: an administrator sends a dead notification
again and it is delivered once; the dead letters of every topic are listed without their bodies."""

import json
import uuid

import pytest

from services.notification.app import create_app
from services.notification.settings import NotificationSettings
from shared.database import create_pool
from shared.domain.access import Role
from shared.topics import REFERRAL_ASSIGNED
from tests.auth import WEBHOOK_SECRET, bearer, service_settings
from tests.demo_directory import knowing_the_demo_directory
from tests.factories import VALID_CHILD_ID, referral_assigned
from tests.integration.conftest import serving
from tests.integration.test_notification_delivery import add_receiver
from tests.kafka_tools import produce
from tests.receivers import HttpReceiver, http_receiver
from tests.waiting import eventually

STATION = "140703101"  # no other test assigns to it: the topic's earlier notices never reach this hook
ADMIN = bearer(Role.ADMIN, subject="admin-7", name="张管理员")
NAME = "王小明"


@pytest.fixture(scope="module")
async def service(infrastructure, new_database):
    database = await new_database("notification")
    settings = service_settings(
        NotificationSettings, database, infrastructure.kafka_bootstrap_servers, delivery_max_attempts=1
    )
    async with serving(knowing_the_demo_directory(create_app(settings)), headers=ADMIN) as client:
        pool = await create_pool(database)
        yield client, pool
        await pool.close()


async def assigned_to_station(kafka: str, **fields):
    assigned = referral_assigned(assignee_code=STATION, **fields)
    await produce(kafka, REFERRAL_ASSIGNED, assigned.model_dump_json().encode(), key=str(assigned.report_id).encode())
    return assigned


async def the_notice(client, referral_id, status: str) -> dict | None:
    answer = await client.get("/v1/notifications", params={"referral_id": str(referral_id), "status": status})
    return next((row for row in answer.json() if row["receiver_code"] == STATION), None)


async def test_a_dead_notification_sent_again_is_delivered_once(service, infrastructure):
    client, pool = service
    with http_receiver(HttpReceiver(secret=WEBHOOK_SECRET, failures_first=1)) as hook:
        await add_receiver(pool, STATION, "station", webhook_url=f"{hook.url}/hook/{STATION}")
        assigned = await assigned_to_station(infrastructure.kafka_bootstrap_servers)
        dead = await eventually(lambda: the_notice(client, assigned.referral_id, "dead"), 60, "a dead notification")
        resend = f"/v1/notifications/{dead['notification_id']}/resend"

        assert (await client.post(resend, headers=bearer(Role.OPERATOR))).status_code == 403
        assert (await client.post(f"/v1/notifications/{uuid.uuid4()}/resend")).status_code == 404
        answer = await client.post(resend)
        assert answer.status_code == 202
        assert (answer.json()["status"], answer.json()["attempts"], answer.json()["resends"]) == ("pending", 0, 1)
        delivered = await eventually(lambda: the_notice(client, assigned.referral_id, "delivered"), 30, "delivery")
        refused = await client.post(resend)

    assert [(one["round"], one["attempt"], one["outcome"]) for one in delivered["log"]] == [
        (0, 1, "failed"),
        (1, 1, "delivered"),
    ]
    assert len(hook.requests) == 2 and list(hook.acted_on) == [dead["notification_id"]]
    assert refused.status_code == 409 and refused.json()["code"] == "not_dead"
    audited = await pool.fetch("SELECT actor, actor_name, case_id FROM audit_log WHERE action = 'resend_notification'")
    assert [tuple(row) for row in audited] == [("admin-7", "张管理员", assigned.referral_id)]


async def test_dead_letters_are_listed_with_their_case_and_never_their_body(service, infrastructure):
    client, _pool = service
    kafka = infrastructure.kafka_bootstrap_servers
    assigned = await assigned_to_station(kafka, case_number="晋中-2026-000777")
    await eventually(lambda: the_notice(client, assigned.referral_id, "dead"), 60, "the referral's clocks")
    poison = {"referral_id": str(assigned.referral_id), "child": {"name": NAME, "id_number": VALID_CHILD_ID}}
    await produce(kafka, REFERRAL_ASSIGNED, json.dumps(poison, ensure_ascii=False).encode())

    async def listed(headers=ADMIN) -> tuple[str, list[dict]]:
        answer = await client.get("/v1/dead-letters", headers=headers)
        assert answer.status_code == 200
        return answer.text, [row for row in answer.json() if row["referral_id"] == str(assigned.referral_id)]

    async def ours() -> tuple[str, list[dict]] | None:
        text, rows = await listed()
        return (text, rows) if rows else None

    text, [letter] = await eventually(ours, 60, "the dead letter listed")
    assert letter["topic"] == f"{REFERRAL_ASSIGNED}.dead-letter" and letter["source_topic"] == REFERRAL_ASSIGNED
    assert letter["case_number"] == "晋中-2026-000777"
    assert letter["reason"].startswith("事件 ReferralAssigned 的内容不合格：")
    assert NAME not in text and VALID_CHILD_ID not in text
    assert (await listed(bearer(Role.OPERATOR, "1407")))[1] == [letter]
    assert (await listed(bearer(Role.OPERATOR, "4420")))[1] == []
    assert (await client.get("/v1/dead-letters", headers=bearer(Role.STATION))).status_code == 403
