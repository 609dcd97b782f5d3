"""Delivery channels behind one small interface: a sender's `send` delivers or raises DeliveryFailed.

Every message carries its notification id (webhook header and body, e-mail Message-ID, the SMS request
where the gateway takes one), so a receiver that deduplicates on it never acts on a retry twice.
"""

from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

import httpx


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


class Sender(Protocol):
    async def send(self, message: Outgoing) -> None: ...


async def post(client: httpx.AsyncClient, url: str, **request: Any) -> httpx.Response:
    try:
        response = await client.post(url, **request)
    except httpx.HTTPError as error:
        raise DeliveryFailed(type(error).__name__) from None
    if not response.is_success:
        raise DeliveryFailed(f"http_{response.status_code}")
    return response
