"""Who notifications go to: the stations and centres of referral's directory, kept from its events, and
the committees an administrator enters here. Finding the receiver of a notice is done in SQL."""

from datetime import datetime
from typing import Annotated

import asyncpg
from pydantic import BaseModel, ConfigDict, Field

from services.notification.notices import Audience
from shared.contacts import Email, Name, Phone, WebhookUrl
from shared.events import StationDirectoryChanged
from shared.inbox import claim_event

AREA_PATTERN = r"^([0-9]{2}){1,3}$"  # a province (2 digits), city (4) or county (6) a committee watches

RECEIVER_COLUMNS = "code, kind, name, email, sms_phone, webhook_url, active, updated_at"


class CommitteeFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    email: Email = None
    sms_phone: Phone = None
    webhook_url: WebhookUrl = None
    active: bool = True


class CommitteeIn(CommitteeFields):
    code: Annotated[str, Field(pattern=AREA_PATTERN)]


class ReceiverView(BaseModel):
    code: str
    kind: str
    name: str
    email: str | None
    sms_phone: str | None
    webhook_url: str | None
    active: bool
    updated_at: datetime


async def keep_directory_entry(pool: asyncpg.Pool, entry: StationDirectoryChanged) -> None:
    """Stores a station's or centre's entry unless a newer one is already here."""
    async with pool.acquire() as connection, connection.transaction():
        if not await claim_event(connection, entry):
            return
        await _upsert(connection, entry.model_dump(), only_if_newer=True)


async def save_committee(connection: asyncpg.Connection, committee: CommitteeIn, at: datetime) -> asyncpg.Record:
    return await _upsert(connection, committee.model_dump() | {"kind": "committee", "updated_at": at})


async def _upsert(connection: asyncpg.Connection, values: dict, only_if_newer: bool = False) -> asyncpg.Record:
    newer = "WHERE receivers.updated_at <= EXCLUDED.updated_at" if only_if_newer else ""
    return await connection.fetchrow(
        f"INSERT INTO receivers ({RECEIVER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        "ON CONFLICT (kind, code) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, "
        "sms_phone = EXCLUDED.sms_phone, webhook_url = EXCLUDED.webhook_url, active = EXCLUDED.active, "
        f"updated_at = EXCLUDED.updated_at {newer} RETURNING {RECEIVER_COLUMNS}",
        values["code"],
        str(values["kind"]),
        values["name"],
        values.get("email"),
        values.get("sms_phone"),
        values.get("webhook_url"),
        values.get("active", True),
        values["updated_at"],
    )


async def find_receiver(connection: asyncpg.Connection, audience: Audience, code: str) -> asyncpg.Record | None:
    """The active receiver of a notice about this division code: the station or centre holding it, the centre
    of its county, or the committee with the longest area covering it."""
    match audience:
        case Audience.ASSIGNEE:
            where, argument = "kind <> 'committee' AND code = $1", code
        case Audience.COUNTY_CENTRE:
            where, argument = "kind = 'county_centre' AND code = $1", code[:6]
        case Audience.COMMITTEE:
            where, argument = "kind = 'committee' AND starts_with($1, code)", code
    return await connection.fetchrow(
        f"SELECT {RECEIVER_COLUMNS} FROM receivers WHERE active AND {where} ORDER BY length(code) DESC LIMIT 1",
        argument,
    )


async def list_receivers(connection: asyncpg.Connection, kind: str | None, code_prefix: str | None) -> list:
    return await connection.fetch(
        f"SELECT {RECEIVER_COLUMNS} FROM receivers WHERE ($1::text IS NULL OR kind = $1) "
        "AND ($2::text IS NULL OR starts_with(code, $2)) ORDER BY kind, code LIMIT 1000",
        kind,
        code_prefix,
    )
