"""The clocks use case's storage on one PostgreSQL connection, inside the transaction the use case opened."""

from dataclasses import dataclass

import asyncpg

from services.notification.adapters.deadline_repository import DeadlineRepository
from services.notification.adapters.events_in_and_out import PostgresInbox, PostgresOutbox
from services.notification.adapters.policy_repository import PolicyRepository
from services.notification.adapters.receiver_repository import ReceiverRepository


@dataclass(frozen=True)
class PostgresClockTransaction:
    inbox: PostgresInbox
    outbox: PostgresOutbox
    clocks: DeadlineRepository
    policies: PolicyRepository
    names: ReceiverRepository

    @classmethod
    def on(cls, connection: asyncpg.Connection) -> "PostgresClockTransaction":
        return cls(
            PostgresInbox(connection),
            PostgresOutbox(connection),
            DeadlineRepository(connection),
            PolicyRepository(connection),
            ReceiverRepository(connection),
        )
