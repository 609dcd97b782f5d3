"""Who notices go to: the stations and centres of referral's directory, and the committees an administrator
enters here; the addresses each can be reached at."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.notices import Audience, Notice
from shared.contacts import Email, Name, Phone, WebhookUrl
from shared.domain.divisions import county_of

AREA_PATTERN = r"^([0-9]{2}){1,3}$"  # a province (2 digits), city (4) or county (6) a committee watches


class ReceiverKind(StrEnum):
    STATION = "station"
    COUNTY_CENTRE = "county_centre"
    COMMITTEE = "committee"


@dataclass(frozen=True)
class Receiver:
    code: str
    kind: ReceiverKind
    name: str
    email: str | None
    sms_phone: str | None
    webhook_url: str | None
    active: bool
    updated_at: datetime

    def addresses(self, channels: Iterable[DeliveryChannel]) -> dict[DeliveryChannel, str]:
        """Where it can be reached on each of these channels that it has an address for."""
        known = {
            DeliveryChannel.WEBHOOK: self.webhook_url,
            DeliveryChannel.EMAIL: self.email,
            DeliveryChannel.SMS: self.sms_phone,
        }
        return {channel: address for channel, address in known.items() if channel in channels and address}


class CommitteeFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    email: Email = None
    sms_phone: Phone = None
    webhook_url: WebhookUrl = None
    active: bool = True


class CommitteeIn(CommitteeFields):
    code: Annotated[str, Field(pattern=AREA_PATTERN)]


def intended_code(notice: Notice) -> str:
    """Whom the notice was meant for when no receiver is known: the code it would have had."""
    if notice.audience is Audience.COUNTY_CENTRE:
        return county_of(notice.about_code) or notice.about_code
    if notice.audience is Audience.COMMITTEE:
        return f"committee:{notice.about_code}"
    return notice.about_code
