"""A 12345 platform client's work orders: each milestone of a report it filed is delivered to its receiver,
once per announcement, in the transaction that records the announcement as handled; delivery retries and
logs it like any notice."""

import asyncpg

from services.notification.application.addressing import record_notices
from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.progress_notices import notice_for_progress
from shared.events import ReportProgressed
from shared.inbox import claim_events


async def tell_platforms(
    pool: asyncpg.Pool, events: list[ReportProgressed], channels: frozenset[DeliveryChannel]
) -> None:
    async with pool.acquire() as connection, connection.transaction():
        fresh = await claim_events(connection, events)
        told = [(progressed.event_id, notice_for_progress(progressed)) for progressed in fresh]
        await record_notices(connection, [(cause, notice) for cause, notice in told if notice is not None], channels)
