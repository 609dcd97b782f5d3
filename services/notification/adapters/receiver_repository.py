"""The receivers in PostgreSQL. Finding the receiver of a notice is done in SQL."""

from datetime import datetime

import asyncpg

from services.notification.domain.notices import HOTLINE_CODE, Audience
from services.notification.domain.receivers import EnteredPlatformClient, EnteredReceiver, Receiver, ReceiverKind
from shared.domain.divisions import county_of
from shared.events import StationDirectoryChanged

RECEIVER_COLUMNS = "code, kind, name, email, sms_phone, webhook_url, active, updated_at"


class ReceiverRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def keep_directory_entry(self, entry: StationDirectoryChanged) -> None:
        """Stores a station's or centre's entry unless a newer one is already here."""
        await self._upsert(entry.model_dump(), only_if_newer=True)

    async def save_entered(self, receiver: EnteredReceiver | EnteredPlatformClient, at: datetime) -> Receiver:
        """A committee or the hotline supervisors' lead, as an administrator entered it."""
        return _receiver(await self._upsert(receiver.model_dump() | {"kind": receiver.kind, "updated_at": at}))

    async def _upsert(self, values: dict, only_if_newer: bool = False) -> asyncpg.Record | None:
        """The row as stored; None when a newer one was kept."""
        newer = "WHERE receivers.updated_at <= EXCLUDED.updated_at" if only_if_newer else ""
        return await self._connection.fetchrow(
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

    async def find(self, audience: Audience, code: str) -> Receiver | None:
        """The active receiver of a notice about this division code: the station or centre holding it, the
        centre of its county, the committee with the longest area covering it, or the hotline's lead."""
        match audience:
            case Audience.ASSIGNEE:
                where, argument = "kind IN ('station', 'county_centre', 'hotline') AND code = $1", code
            case Audience.COUNTY_CENTRE:
                where, argument = "kind = 'county_centre' AND code = $1", county_of(code)
            case Audience.COMMITTEE:
                where, argument = "kind = 'committee' AND starts_with($1, code)", code
            case Audience.HOTLINE:
                where, argument = "kind = 'hotline' AND code = $1", HOTLINE_CODE
            case Audience.PLATFORM:
                where, argument = "kind = 'platform' AND code = $1", code
        row = await self._connection.fetchrow(
            f"SELECT {RECEIVER_COLUMNS} FROM receivers WHERE active AND {where} ORDER BY length(code) DESC LIMIT 1",
            argument,
        )
        return _receiver(row) if row else None

    async def name_of(self, code: str) -> str | None:
        """A station's or centre's name, as notices show it."""
        return await self._connection.fetchval(
            "SELECT name FROM receivers WHERE code = $1 AND kind IN ('station', 'county_centre') LIMIT 1", code
        )

    async def kinds(self) -> list[tuple[str, ReceiverKind]]:
        """Every receiver's code and kind, for the scope directory."""
        rows = await self._connection.fetch("SELECT code, kind FROM receivers")
        return [(row["code"], ReceiverKind(row["kind"])) for row in rows]

    async def listed(self, kind: ReceiverKind | None, code_prefix: str | None) -> list[Receiver]:
        rows = await self._connection.fetch(
            f"SELECT {RECEIVER_COLUMNS} FROM receivers WHERE ($1::text IS NULL OR kind = $1) "
            "AND ($2::text IS NULL OR starts_with(code, $2)) ORDER BY kind, code LIMIT 1000",
            None if kind is None else kind.value,
            code_prefix,
        )
        return [_receiver(row) for row in rows]


def _receiver(row: asyncpg.Record) -> Receiver:
    return Receiver(**dict(row) | {"kind": ReceiverKind(row["kind"])})
