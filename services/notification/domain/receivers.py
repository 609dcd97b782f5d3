"""Who notices go to: the stations and centres of referral's directory, and those an administrator enters
here: the committees and the hotline supervisors' lead; the addresses each can be reached at."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.notices import HOTLINE_CODE, Audience, Notice
from shared.contacts import Email, Name, Phone, WebhookUrl
from shared.domain.access import KnownScopes
from shared.domain.divisions import DivisionCode, county_of, is_division_code

AREA_PATTERN = r"^([0-9]{2}){1,3}$"  # a province (2 digits), city (4) or county (6) a committee watches
ENTERED_CODE_PATTERN = rf"^(([0-9]{{2}}){{1,3}}|{HOTLINE_CODE})$"  # a committee's area, or the hotline
PLATFORM_CLIENT_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$"


class ReceiverKind(StrEnum):
    STATION = "station"
    COUNTY_CENTRE = "county_centre"
    COMMITTEE = "committee"
    HOTLINE = "hotline"  # the hotline supervisors' lead (值班长): the unrouted queue's clocks
    PLATFORM = "platform"  # a 12345 platform client: its work orders' progress


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


class ReceiverFields(BaseModel):
    """How an administrator enters a committee or the hotline supervisors' lead."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    email: Email = None
    sms_phone: Phone = None
    webhook_url: WebhookUrl = None
    active: StrictBool = True  # JSON true or false; a CSV's text is read laxly


class EnteredReceiver(ReceiverFields):
    """A committee (its code is the area it watches) or the hotline supervisors' lead (code `hotline`)."""

    code: Annotated[str, Field(pattern=ENTERED_CODE_PATTERN)]

    @property
    def kind(self) -> ReceiverKind:
        return ReceiverKind.HOTLINE if self.code == HOTLINE_CODE else ReceiverKind.COMMITTEE


class EnteredPlatformClient(ReceiverFields):
    """A 12345 platform client (its code is the client's name in its tokens and reports)."""

    code: Annotated[str, Field(pattern=PLATFORM_CLIENT_PATTERN)]

    @property
    def kind(self) -> ReceiverKind:
        return ReceiverKind.PLATFORM


def intended_code(notice: Notice) -> str:
    """Whom the notice was meant for when no receiver is known: the code it would have had."""
    if notice.audience is Audience.COUNTY_CENTRE:
        return county_of(notice.about_code) or notice.about_code
    if notice.audience is Audience.COMMITTEE:
        return f"committee:{notice.about_code}"
    if notice.audience is Audience.HOTLINE:
        return HOTLINE_CODE
    if notice.audience is Audience.PLATFORM:
        return f"platform:{notice.about_code}"
    return notice.about_code


def known_scopes(receivers: Iterable[tuple[str, ReceiverKind]]) -> KnownScopes:
    """What notification knows of the directory, without a gazetteer: its stations and centres (from referral's
    directory) and the committees' areas; an area is known when a committee watches it, or a station or centre
    lies in it."""
    stations, areas = set(), set()
    for code, kind in receivers:
        if kind is ReceiverKind.STATION:
            stations.add(code)
        if kind in (ReceiverKind.STATION, ReceiverKind.COUNTY_CENTRE, ReceiverKind.COMMITTEE) and is_division_code(
            code
        ):
            areas.update(DivisionCode(code).areas)
    return KnownScopes(frozenset(stations), frozenset(areas))
