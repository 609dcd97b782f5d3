"""The log of delivery attempts in PostgreSQL: each attempt is logged as in flight before it is made, and its
outcome after."""

from datetime import datetime
from uuid import UUID

import asyncpg

from services.notification.domain.delivery_rules import AttemptOutcome, DeliveryAttempt, Notification


class DeliveryLog:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def started(self, notifications: list[Notification], at: datetime) -> None:
        await self._connection.executemany(
            "INSERT INTO delivery_attempts (notification_id, round, attempt, started_at) VALUES ($1, $2, $3, $4)",
            [(one.notification_id, one.resends, one.attempts, at) for one in notifications],
        )

    async def finished(
        self, notification: Notification, outcome: AttemptOutcome, error: str | None, at: datetime
    ) -> None:
        await self._connection.execute(_FINISHED, *_finished(notification, outcome, error, at))

    async def delivered(self, delivered: list[tuple[Notification, datetime]]) -> None:
        """Attempts that delivered, each at its time, in one round trip."""
        rows = [_finished(notification, AttemptOutcome.DELIVERED, None, at) for notification, at in delivered]
        await self._connection.executemany(_FINISHED, rows)

    async def attempts_of(self, notification_ids: list[UUID]) -> dict[UUID, list[DeliveryAttempt]]:
        rows = await self._connection.fetch(
            "SELECT notification_id, round, attempt, started_at, finished_at, outcome, error FROM delivery_attempts "
            "WHERE notification_id = ANY($1::uuid[]) ORDER BY notification_id, round, attempt",
            notification_ids,
        )
        found: dict[UUID, list[DeliveryAttempt]] = {}
        for row in rows:
            attempt = DeliveryAttempt(
                row["attempt"],
                row["started_at"],
                row["finished_at"],
                AttemptOutcome(row["outcome"]),
                row["error"],
                row["round"],
            )
            found.setdefault(row["notification_id"], []).append(attempt)
        return found


_FINISHED = (
    "UPDATE delivery_attempts SET outcome = $3, error = $4, finished_at = $5 "
    "WHERE notification_id = $1 AND attempt = $2 AND round = $6"
)


def _finished(notification: Notification, outcome: AttemptOutcome, error: str | None, at: datetime) -> tuple:
    return (notification.notification_id, notification.attempts, outcome.value, error, at, notification.resends)
