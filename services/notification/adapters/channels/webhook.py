"""Webhooks: an HTTP POST of a JSON body signed with HMAC-SHA256 (header X-Signature-256)."""

import hashlib
import hmac
import json
from email.utils import format_datetime

import httpx

from services.notification.adapters.channels.sending import Outgoing, post
from services.notification.domain.notices import NoticeKind
from shared.events import utcnow


def receiver_signing_key(secret: str, receiver_code: str) -> bytes:
    """Each receiver verifies with its own key, derived from the service's secret, so that one receiver's
    key cannot sign messages to another. `python -m services.notification.entrypoints.cli.webhook_keys CODE`
    prints it."""
    return hmac.new(secret.encode(), f"webhook:{receiver_code}".encode(), hashlib.sha256).hexdigest().encode()


def signature(key: bytes, body: bytes) -> str:
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


class WebhookChannel:
    def __init__(self, client: httpx.AsyncClient, secret: str) -> None:
        self._client = client
        self._secret = secret

    async def send(self, message: Outgoing) -> None:
        now = utcnow()
        content = {
            "notification_id": str(message.notification_id),
            "kind": message.kind,
            "referral_id": str(message.referral_id) if message.referral_id else None,
            "receiver_code": message.receiver_code,
            "subject": message.subject,
            "body": message.body,
            "sent_at": now.isoformat(),
        }
        if message.kind == NoticeKind.PROGRESS:  # a platform's work order: its fields, for its system to read
            content["work_order"] = json.loads(message.body)
        body = json.dumps(content, ensure_ascii=False).encode()
        key = receiver_signing_key(self._secret, message.receiver_code)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Date": format_datetime(now, usegmt=True),
            "X-Notification-Id": str(message.notification_id),
            "X-Signature-256": signature(key, body),
        }
        await post(self._client, message.address, content=body, headers=headers)
