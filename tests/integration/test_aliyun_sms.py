"""Alibaba Cloud SMS, chosen by the settings, delivering notifications on the real database to a local fake
of the platform that checks every signature; a wrong secret is refused and the notice is dead with its reason
in words, and neither the secret nor the number is in any log line."""

import json
import logging

from services.notification.adapters.channels.sms_providers import sms_sender
from services.notification.application.clocks import Rules, start_or_move_clocks
from services.notification.application.delivery import Delivery
from services.notification.domain.delivery_channels import DeliveryChannel, SmsProvider
from services.notification.domain.delivery_rules import RetryPolicy
from services.notification.settings import NotificationSettings
from tests.factories import referral_assigned
from tests.fake_aliyun_sms import FakeAliyunSms, fake_aliyun_sms
from tests.integration.test_notification_delivery import add_receiver, deliver_until_settled, http_client, log_of, pool

__all__ = ["http_client", "pool"]  # the fixtures, shared with the delivery tests

STATION, PHONE = "140724104", "13812345678"
KEY_ID, SECRET = "LTAI-local-fake", "local-fake-secret-3f9a"


def aliyun_settings(endpoint: str, secret: str) -> NotificationSettings:
    return NotificationSettings(
        database_url="postgresql://unused/unused",
        kafka_bootstrap_servers="unused:9092",
        sms_provider=SmsProvider.ALIYUN,
        sms_aliyun_endpoint=endpoint,
        sms_aliyun_access_key_id=KEY_ID,
        sms_aliyun_access_key_secret=secret,
        sms_aliyun_sign_name="未成年人保护",
        sms_aliyun_template_code="SMS_000001",
    )


async def deliver_one_sms(pool, http_client, secret: str, fake: FakeAliyunSms):
    await add_receiver(pool, STATION, "station", sms_phone=PHONE)
    rules = Rules(channels=frozenset({DeliveryChannel.SMS}))
    await start_or_move_clocks(pool, referral_assigned(assignee_code=STATION), rules)
    sender = sms_sender(http_client, aliyun_settings(fake.url, secret))
    retries = RetryPolicy(max_attempts=1)
    await deliver_until_settled(Delivery(pool, {DeliveryChannel.SMS: sender}, retries), pool)
    return await pool.fetchrow(
        "SELECT notification_id, status, subject FROM notifications WHERE receiver_code = $1 AND channel = 'sms'",
        STATION,
    )


async def test_a_notice_goes_out_signed_and_is_accepted(pool, http_client):
    with fake_aliyun_sms(FakeAliyunSms(keys={KEY_ID: SECRET})) as fake:
        notification = await deliver_one_sms(pool, http_client, SECRET, fake)

    assert notification["status"] == "delivered" and fake.refused == []
    [request] = fake.sent
    assert (request["PhoneNumbers"], request["OutId"]) == (PHONE, str(notification["notification_id"]))
    assert (request["Action"], request["SignName"]) == ("SendSms", "未成年人保护")
    assert json.loads(request["TemplateParam"]) == {"content": notification["subject"]}
    assert await log_of(pool, notification["notification_id"]) == [("delivered", None)]


async def test_a_wrong_secret_is_refused_and_the_notice_is_dead_with_why(pool, http_client, caplog):
    caplog.set_level(logging.DEBUG)
    with fake_aliyun_sms(FakeAliyunSms(keys={KEY_ID: SECRET})) as fake:
        notification = await deliver_one_sms(pool, http_client, "a-wrong-secret", fake)

    assert fake.sent == [] and fake.refused == ["SignatureDoesNotMatch"]
    assert notification["status"] == "dead"
    assert await log_of(pool, notification["notification_id"]) == [
        ("failed", "短信平台拒绝发送：签名校验失败，请核对 AccessKey Secret（SignatureDoesNotMatch）")
    ]
    lines = [record.getMessage() for record in caplog.records]
    assert any(str(notification["notification_id"]) in line and "SignatureDoesNotMatch" in line for line in lines)
    for secret in (PHONE, SECRET, "a-wrong-secret"):
        assert not [line for line in lines if secret in line], secret
    told = await pool.fetchval("SELECT string_agg(payload::text, ' ') FROM outbox")
    assert PHONE not in told and "a-wrong-secret" not in told
