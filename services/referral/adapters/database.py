"""The referral database: a transaction with its repositories, the inbox, the locks, the audit trail and
the outbox on one connection; and a plain connection for reads."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar
from uuid import UUID

import asyncpg

from services.referral.adapters.dashboard import DashboardFigures
from services.referral.adapters.divisions import DivisionTree
from services.referral.adapters.kept_answers import PostgresAnswers
from services.referral.adapters.referral_reads import ReferralReads
from services.referral.adapters.referrals_repository import PostgresReferrals
from services.referral.adapters.stations_repository import PostgresStations
from services.referral.adapters.task_rows import PostgresTasks
from services.referral.adapters.village_directors_repository import PostgresVillageDirectors
from shared.audit import audit
from shared.domain.access import Principal
from shared.events import Event
from shared.inbox import claim_events
from shared.locks import hold
from shared.outbox import enqueue_many

E = TypeVar("E", bound=Event)


class PostgresOutbox:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def put(self, events: list[tuple[Event, str]]) -> None:
        await enqueue_many(self.connection, events)


class ReferralConnection:
    """Everything the use cases store or read, on one connection."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection
        self.referrals = PostgresReferrals(connection)
        self.stations = PostgresStations(connection)
        self.outbox = PostgresOutbox(connection)
        self.reads = ReferralReads(connection)
        self.divisions = DivisionTree(connection)
        self.dashboard = DashboardFigures(connection)
        self.answers = PostgresAnswers(connection)
        self.tasks = PostgresTasks(connection)
        self.directors = PostgresVillageDirectors(connection)

    async def claim(self, events: list[E]) -> list[E]:
        return await claim_events(self.connection, events)

    async def hold(self, keys: list[str]) -> None:
        await hold(self.connection, keys)

    async def audit(
        self, caller: Principal, action: str, case_ids: list[UUID] | None = None, target: str | None = None
    ) -> None:
        await audit(self.connection, caller, action, case_ids, target)


class ReferralDatabase:
    def __init__(self, pool: Callable[[], asyncpg.Pool]) -> None:
        self.pool = pool  # the service's pool exists only once it has started

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[ReferralConnection]:
        async with self.pool().acquire() as connection, connection.transaction():
            yield ReferralConnection(connection)

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[ReferralConnection]:
        """A connection outside any transaction, for reads (and the audit rows they leave)."""
        async with self.pool().acquire() as connection:
            yield ReferralConnection(connection)
