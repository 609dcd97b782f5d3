"""A stuck report is told to the hotline supervisors' lead, once per announcement, in the transaction that
records the announcement as handled."""

import asyncpg

from services.notification.application.addressing import record_notices
from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.stuck_notices import notice_for_stuck
from shared.events import ReportStuck
from shared.inbox import claim_events


async def tell_hotline(pool: asyncpg.Pool, events: list[ReportStuck], channels: frozenset[DeliveryChannel]) -> None:
    async with pool.acquire() as connection, connection.transaction():
        fresh = await claim_events(connection, events)
        await record_notices(connection, [(stuck.event_id, notice_for_stuck(stuck)) for stuck in fresh], channels)
