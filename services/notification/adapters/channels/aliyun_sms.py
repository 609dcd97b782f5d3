"""Alibaba Cloud SMS (dysmsapi SendSms), signed as its RPC API wants: HMAC-SHA1 over the canonicalized query
(signature version 1.0). The request is a form POST over HTTPS, so the number is in no URL."""

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

import httpx

from services.notification.adapters.channels.sending import DeliveryFailed, Outgoing
from services.notification.adapters.channels.sms import filled_template
from services.notification.domain.sms_refusals import refusal_in_words
from shared.events import utcnow

API_VERSION = "2017-05-25"


def percent(text: str) -> str:
    """Alibaba's encoding: UTF-8, then RFC 3986 (only A-Z a-z 0-9 - _ . ~ left as they are; space is %20)."""
    return quote(text, safe="-_.~")


def canonical_query(parameters: Mapping[str, str]) -> str:
    return "&".join(f"{percent(name)}={percent(parameters[name])}" for name in sorted(parameters))


def string_to_sign(method: str, parameters: Mapping[str, str]) -> str:
    return f"{method}&{percent('/')}&{percent(canonical_query(parameters))}"


def signature(secret: str, method: str, parameters: Mapping[str, str]) -> str:
    """Base64(HMAC-SHA1(secret + "&", StringToSign)); `parameters` without Signature."""
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(method, parameters).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


@dataclass(frozen=True)
class AliyunAccount:
    endpoint: str  # https://dysmsapi.aliyuncs.com/
    access_key_id: str
    access_key_secret: str = field(repr=False)
    sign_name: str  # 短信签名, as approved by the platform
    template_code: str  # SMS_...
    template_param: dict[str, str]  # the template's variables; values may hold {text} and {receiver_code}
    region: str = "cn-hangzhou"


class AliyunSmsChannel:
    def __init__(
        self,
        client: httpx.AsyncClient,
        account: AliyunAccount,
        clock: Callable[[], datetime] = utcnow,
        nonce: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self._client, self._account, self._clock, self._nonce = client, account, clock, nonce

    def parameters(self, message: Outgoing) -> dict[str, str]:
        """The signed request's parameters, Signature included."""
        account = self._account
        values = {"text": message.subject, "receiver_code": message.receiver_code}
        parameters = {
            "AccessKeyId": account.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "OutId": str(message.notification_id),  # the platform's receipts name the notification
            "PhoneNumbers": message.address,
            "RegionId": account.region,
            "SignName": account.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": self._nonce(),
            "SignatureVersion": "1.0",
            "TemplateCode": account.template_code,
            "TemplateParam": json.dumps(filled_template(account.template_param, values), ensure_ascii=False),
            "Timestamp": self._clock().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
        }
        return parameters | {"Signature": signature(account.access_key_secret, "POST", parameters)}

    async def send(self, message: Outgoing) -> None:
        try:
            response = await self._client.post(self._account.endpoint, data=self.parameters(message))
        except httpx.HTTPError as error:
            raise DeliveryFailed(type(error).__name__) from None
        try:
            code = response.json().get("Code")
        except (ValueError, AttributeError):
            raise DeliveryFailed(f"http_{response.status_code}") from None
        if code != "OK":
            raise DeliveryFailed(refusal_in_words(code))
