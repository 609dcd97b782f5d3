"""SMS through an HTTP gateway, in the request shape the gateway wants."""

import re
from dataclasses import dataclass
from typing import Any

import httpx

from services.notification.adapters.channels.sending import DeliveryFailed, Outgoing, post

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


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
        response = await post(self._client, self._shape.url, json=payload, headers=self._shape.headers)
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
