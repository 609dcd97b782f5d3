"""SMS providers as plugins, and the Alibaba Cloud signature: the documented example, and a request of ours
checked by the fake's own computation."""

import json
from datetime import UTC, datetime
from uuid import UUID

import httpx
import pytest

from services.notification.adapters.channels.aliyun_sms import (
    AliyunAccount,
    AliyunSmsChannel,
    percent,
    signature,
    string_to_sign,
)
from services.notification.adapters.channels.sending import Outgoing
from services.notification.adapters.channels.sms import SmsChannel
from services.notification.adapters.channels.sms_providers import sms_configured, sms_sender
from services.notification.app import enabled_channels
from services.notification.domain.delivery_channels import DeliveryChannel, SmsProvider
from services.notification.domain.sms_refusals import refusal_in_words
from services.notification.settings import NotificationSettings
from tests.fake_aliyun_sms import documented_signature

# Alibaba Cloud's published example of its RPC signature (DescribeRegions, AccessKey testid / testsecret).
DOCUMENTED = {
    "TimeStamp": "2016-02-23T12:46:24Z",
    "Format": "XML",
    "AccessKeyId": "testid",
    "Action": "DescribeRegions",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "Version": "2014-05-26",
    "SignatureVersion": "1.0",
}
DOCUMENTED_STRING_TO_SIGN = (
    "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
    "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
    "%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
)
ACCOUNT = AliyunAccount(
    endpoint="https://dysmsapi.aliyuncs.com/",
    access_key_id="LTAI-test",
    access_key_secret="not-a-real-secret",
    sign_name="未成年人保护",
    template_code="SMS_000001",
    template_param={"content": "{text}", "unit": "{receiver_code}"},
)
MESSAGE = Outgoing(
    notification_id=UUID("00000000-0000-4000-8000-000000000001"),
    kind="assigned",
    referral_id=None,
    receiver_code="140724104",
    address="13800000000",
    subject="【新转介】P1 紧急 * ~",
    body="",
)


def test_the_documented_example_signs_to_the_documented_value():
    assert string_to_sign("GET", DOCUMENTED) == DOCUMENTED_STRING_TO_SIGN
    assert signature("testsecret", "GET", DOCUMENTED) == "CT9X0VtwR86fNWSnsc6v8YGOjuE="


def test_encoding_is_rfc_3986_on_utf_8():
    assert percent("a b*c~d/e+f") == "a%20b%2Ac~d%2Fe%2Bf"
    assert percent("未") == "%E6%9C%AA"


def test_a_send_request_is_signed_as_the_fake_computes_it_on_its_own():
    clock = lambda: datetime(2026, 12, 3, 4, 5, 6, tzinfo=UTC)  # noqa: E731
    channel = AliyunSmsChannel(httpx.AsyncClient(), ACCOUNT, clock=clock, nonce=lambda: "nonce-1")
    parameters = channel.parameters(MESSAGE)
    given = parameters.pop("Signature")
    assert given == documented_signature(ACCOUNT.access_key_secret, "POST", parameters)
    assert given == "HLVlCT1kOV+8pmPLne87Ncmyj+0="  # fixed: any change to the canonical form shows here
    assert parameters["Timestamp"] == "2026-12-03T04:05:06Z"
    assert parameters["OutId"] == str(MESSAGE.notification_id)
    assert json.loads(parameters["TemplateParam"]) == {"content": MESSAGE.subject, "unit": "140724104"}


def test_the_secret_is_kept_out_of_the_account_s_repr():
    assert ACCOUNT.access_key_secret not in repr(ACCOUNT)


def settings(**values) -> NotificationSettings:
    return NotificationSettings(
        database_url="postgresql://unused/unused", kafka_bootstrap_servers="unused:9092", **values
    )


def test_the_setting_chooses_the_provider_and_each_says_when_it_is_configured():
    assert not sms_configured(settings())
    gateway = settings(sms_gateway_url="http://127.0.0.1:9/sms")
    assert isinstance(sms_sender(httpx.AsyncClient(), gateway), SmsChannel)
    aliyun = settings(
        sms_provider=SmsProvider.ALIYUN,
        sms_aliyun_access_key_id="LTAI-test",
        sms_aliyun_access_key_secret="not-a-real-secret",
        sms_aliyun_sign_name="未成年人保护",
        sms_aliyun_template_code="SMS_000001",
    )
    assert isinstance(sms_sender(httpx.AsyncClient(), aliyun), AliyunSmsChannel)
    assert DeliveryChannel.SMS in enabled_channels(aliyun)
    half = settings(sms_provider=SmsProvider.ALIYUN, sms_aliyun_access_key_id="LTAI-test")
    assert sms_sender(httpx.AsyncClient(), half) is None and DeliveryChannel.SMS not in enabled_channels(half)
    assert "not-a-real-secret" not in repr(aliyun)


def test_an_unknown_provider_is_refused_by_the_settings():
    with pytest.raises(ValueError, match="sms_provider"):
        settings(sms_provider="pigeon")


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("SignatureDoesNotMatch", "短信平台拒绝发送：签名校验失败，请核对 AccessKey Secret（SignatureDoesNotMatch）"),
        ("isv.NEW_CODE", "短信平台拒绝发送：原因见平台代码（isv.NEW_CODE）"),
        ("13800000000 is wrong", "短信平台拒绝发送：原因见平台代码（unknown）"),
        (None, "短信平台拒绝发送：原因见平台代码（unknown）"),
    ],
)
def test_a_refusal_is_told_in_words_with_its_code_and_nothing_else(code, words):
    assert refusal_in_words(code) == words
