"""Delivery channels behind one small interface: `send` delivers or raises DeliveryFailed.

Every message carries its notification id (webhook header and body, e-mail Message-ID, the SMS request
where the gateway takes one), so a receiver that deduplicates on it never acts on a retry twice.
"""

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol
from uuid import UUID

import aiosmtplib
import httpx

from shared.events import utcnow

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class DeliveryFailed(Exception):
    """The receiver did not take the message. `reason` is a short code, never the message or the address."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Outgoing:
    notification_id: UUID
    kind: str
    referral_id: UUID | None
    receiver_code: str
    address: str
    subject: str
    body: str


class Channel(Protocol):
    async def send(self, message: Outgoing) -> None: ...


def receiver_signing_key(secret: str, receiver_code: str) -> bytes:
    """Each receiver verifies with its own key, derived from the service's secret, so that one receiver's
    key cannot sign messages to another. `python -m services.notification.webhook_keys CODE` prints it."""
    return hmac.new(secret.encode(), f"webhook:{receiver_code}".encode(), hashlib.sha256).hexdigest().encode()


def signature(key: bytes, body: bytes) -> str:
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


class WebhookChannel:
    """HTTP POST of a JSON body signed with HMAC-SHA256 (header X-Signature-256)."""

    def __init__(self, client: httpx.AsyncClient, secret: str) -> None:
        self._client = client
        self._secret = secret

    async def send(self, message: Outgoing) -> None:
        body = json.dumps(
            {
                "notification_id": str(message.notification_id),
                "kind": message.kind,
                "referral_id": str(message.referral_id) if message.referral_id else None,
                "receiver_code": message.receiver_code,
                "subject": message.subject,
                "body": message.body,
                "sent_at": utcnow().isoformat(),
            },
            ensure_ascii=False,
        ).encode()
        key = receiver_signing_key(self._secret, message.receiver_code)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Notification-Id": str(message.notification_id),
            "X-Signature-256": signature(key, body),
        }
        await _post(self._client, message.address, content=body, headers=headers)


class EmailChannel:
    """E-mail over SMTP; the Message-ID is made from the notification id."""

    def __init__(self, host: str, port: int, sender: str, timeout: float, start_tls: bool = False) -> None:
        self._host, self._port, self._sender = host, port, sender
        self._timeout, self._start_tls = timeout, start_tls

    async def send(self, message: Outgoing) -> None:
        email = EmailMessage()
        email["From"] = self._sender
        email["To"] = message.address
        email["Subject"] = message.subject
        email["Message-ID"] = f"<{message.notification_id}@cp-notification>"
        email.set_content(message.body)
        try:
            await aiosmtplib.send(
                email,
                hostname=self._host,
                port=self._port,
                timeout=self._timeout,
                start_tls=self._start_tls,
            )
        except aiosmtplib.SMTPResponseException as error:
            raise DeliveryFailed(f"smtp_{error.code}") from None
        except (aiosmtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(type(error).__name__) from None


@dataclass(frozen=True)
class SmsRequestShape:
    """How the SMS gateway wants its request: a JSON template whose string values may hold {phone}, {text},
    {notification_id} and {receiver_code}; optional headers; and, for gateways that answer 200 with an error
    in the body, the top-level field and value that mean success."""

    url: str
    template: dict[str, Any]
    headers: dict[str, str]
    success_field: str | None = None
    success_value: str | None = None


class SmsChannel:
    def __init__(self, client: httpx.AsyncClient, shape: SmsRequestShape) -> None:
        self._client = client
        self._shape = shape

    async def send(self, message: Outgoing) -> None:
        values = {
            "phone": message.address,
            "text": message.subject,
            "notification_id": str(message.notification_id),
            "receiver_code": message.receiver_code,
        }
        payload = filled_template(self._shape.template, values)
        response = await _post(self._client, self._shape.url, json=payload, headers=self._shape.headers)
        if self._shape.success_field is not None:
            try:
                answer = str(response.json().get(self._shape.success_field))
            except (ValueError, AttributeError):
                raise DeliveryFailed("sms_unreadable_answer") from None
            if answer != self._shape.success_value:
                raise DeliveryFailed("sms_refused")


def filled_template(template: Any, values: dict[str, str]) -> Any:
    """The template with placeholders replaced inside its string values (never by building JSON text)."""
    if isinstance(template, dict):
        return {key: filled_template(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [filled_template(value, values) for value in template]
    if isinstance(template, str):
        return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), template)
    return template


async def _post(client: httpx.AsyncClient, url: str, **request: Any) -> httpx.Response:
    try:
        response = await client.post(url, **request)
    except httpx.HTTPError as error:
        raise DeliveryFailed(type(error).__name__) from None
    if not response.is_success:
        raise DeliveryFailed(f"http_{response.status_code}")
    return response
