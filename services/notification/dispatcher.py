"""Delivering pending notifications, with retries and a dead state.

A batch is claimed with FOR UPDATE SKIP LOCKED and leased (its next attempt moved past the delivery
timeout) in a short transaction that also logs the attempt as in flight; delivery happens outside any
transaction; the outcome is recorded after. A service killed mid-delivery leaves the attempt in flight and
the lease runs out, so the notification is tried again: the receiver deduplicates on its id.
"""

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from services.notification.channels import Channel, DeliveryFailed, Outgoing
from services.notification.notifications import NOTIFICATION_COLUMNS, declare_dead
from shared.events import utcnow
from shared.outages import OUTAGES

log = logging.getLogger(__name__)

CLAIM_DUE = f"""
WITH due AS (
    SELECT notification_id FROM notifications
    WHERE status = 'pending' AND next_attempt_at <= $1
    ORDER BY next_attempt_at
    LIMIT $2
    FOR UPDATE SKIP LOCKED
)
UPDATE notifications n SET attempts = n.attempts + 1, next_attempt_at = $1 + $3::interval
FROM due WHERE n.notification_id = due.notification_id
RETURNING {", ".join(f"n.{column}" for column in NOTIFICATION_COLUMNS.split(", "))}
"""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    first_delay: timedelta = timedelta(seconds=30)
    longest_delay: timedelta = timedelta(hours=1)

    def delay_after(self, attempt: int) -> timedelta:
        return min(self.first_delay * 2 ** (attempt - 1), self.longest_delay)


class Dispatcher:
    def __init__(
        self,
        pool: asyncpg.Pool,
        channels: Mapping[str, Channel],
        retry: RetryPolicy = RetryPolicy(),
        timeout: float = 10.0,
        batch: int = 20,
        clock: Callable[[], datetime] = utcnow,
        idle_seconds: float = 0.5,
    ) -> None:
        self.pool = pool
        self.channels = channels
        self.retry = retry
        self.timeout = timeout
        self.batch = batch
        self.clock = clock
        self.idle_seconds = idle_seconds

    async def deliver_due(self) -> int:
        """Makes one attempt at up to a batch of due notifications; returns how many were tried."""
        claimed = await self._claim()
        await asyncio.gather(*(self._attempt(notification) for notification in claimed))
        return len(claimed)

    async def run(self) -> None:
        while True:
            try:
                if await self.deliver_due() == self.batch:
                    continue
            except OUTAGES as error:
                log.warning("dispatcher: outage (%s); trying again", type(error).__name__)
            await asyncio.sleep(self.idle_seconds)

    async def _claim(self) -> list[asyncpg.Record]:
        now = self.clock()
        lease = timedelta(seconds=self.timeout * 3)
        async with self.pool.acquire() as connection, connection.transaction():
            claimed = await connection.fetch(CLAIM_DUE, now, self.batch, lease)
            await connection.executemany(
                "INSERT INTO delivery_attempts (notification_id, attempt, started_at) VALUES ($1, $2, $3)",
                [(row["notification_id"], row["attempts"], now) for row in claimed],
            )
        return claimed

    async def _attempt(self, notification: asyncpg.Record) -> None:
        channel = self.channels.get(notification["channel"])
        if channel is None:
            await self._failed(notification, "channel_not_configured")
            return
        try:
            await asyncio.wait_for(channel.send(_outgoing(notification)), self.timeout)
        except DeliveryFailed as failure:
            await self._failed(notification, failure.reason)
        except TimeoutError:
            await self._failed(notification, "timeout")
        else:
            await self._delivered(notification)

    async def _delivered(self, notification: asyncpg.Record) -> None:
        async with self.pool.acquire() as connection, connection.transaction():
            now = self.clock()
            await _finish_attempt(connection, notification, "delivered", None, now)
            await connection.execute(
                "UPDATE notifications SET status = 'delivered', delivered_at = $2 "
                "WHERE notification_id = $1 AND status = 'pending'",
                notification["notification_id"],
                now,
            )

    async def _failed(self, notification: asyncpg.Record, reason: str) -> None:
        async with self.pool.acquire() as connection, connection.transaction():
            now = self.clock()
            await _finish_attempt(connection, notification, "failed", reason, now)
            current = await connection.fetchrow(
                f"SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE notification_id = $1 FOR UPDATE",
                notification["notification_id"],
            )
            if current["status"] != "pending" or current["attempts"] != notification["attempts"]:
                return  # delivered meanwhile, or another instance took it up after the lease ran out
            if current["attempts"] >= self.retry.max_attempts:
                await declare_dead(connection, current, frozenset(self.channels), error=reason)
                return
            await connection.execute(
                "UPDATE notifications SET next_attempt_at = $2 WHERE notification_id = $1",
                notification["notification_id"],
                now + self.retry.delay_after(current["attempts"]),
            )


async def _finish_attempt(
    connection: asyncpg.Connection, notification: asyncpg.Record, outcome: str, error: str | None, at: datetime
) -> None:
    await connection.execute(
        "UPDATE delivery_attempts SET outcome = $3, error = $4, finished_at = $5 "
        "WHERE notification_id = $1 AND attempt = $2",
        notification["notification_id"],
        notification["attempts"],
        outcome,
        error,
        at,
    )


def _outgoing(notification: asyncpg.Record) -> Outgoing:
    return Outgoing(
        notification_id=notification["notification_id"],
        kind=notification["kind"],
        referral_id=notification["referral_id"],
        receiver_code=notification["receiver_code"],
        address=notification["address"],
        subject=notification["subject"],
        body=notification["body"],
    )
