"""What the clocks use case needs of storage, inside one transaction: PostgreSQL in adapters/, memory in the
unit tests (tests/fakes)."""

from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID

from services.notification.domain.deadlines import PRIORITY_TIMED, Due, Policy
from services.notification.domain.stage_clocks import ClocksSoFar, RunningStage, StageDeadline
from services.notification.domain.timers import TimerKind
from shared.domain.codes import Priority
from shared.domain.monitoring import Assessment
from shared.domain.referrals import Stage
from shared.events import Event

E = TypeVar("E", bound=Event)


class EventInbox(Protocol):
    async def claim(self, events: list[E]) -> list[E]:
        """The events seen for the first time, in their order."""
        ...


class EventOutbox(Protocol):
    async def enqueue(self, events: list[tuple[Event, str]]) -> None:
        """Stores (event, key) pairs with the change they announce, in this order."""
        ...


class ClockStore(Protocol):
    async def hold(self, referral_ids: list[UUID]) -> None:
        """No other transaction writes these referrals' clocks until this one ends."""
        ...

    async def so_far(self, referral_ids: list[UUID]) -> dict[UUID, ClocksSoFar]: ...

    async def start(self, deadlines: list[StageDeadline]) -> None:
        """Stores the deadlines with their timers; one with a known id (started again) replaces its old self."""
        ...

    async def move(self, referral_id: UUID, assignee_code: str, version: int) -> None:
        """The running clocks go on for the new holder."""
        ...

    async def pause(self, referral_id: UUID, version: int, area_code: str | None) -> None:
        """The running stage clocks stop, held by the hotline while the referral is unrouted, timers cancelled."""
        ...

    async def dispatched(self, referral_id: UUID, at: datetime) -> None:
        """The dispatch clock, if it runs, is met."""
        ...

    async def complete(self, referral_id: UUID, stages: list[Stage], at: datetime) -> None:
        """Keeps the completions (for clocks not started yet) and stops these stages' clocks."""
        ...

    async def cancel(self, referral_id: UUID, stages: list[Stage], at: datetime) -> None:
        """Stops these stages' running clocks, not done."""
        ...

    async def close(self, referral_id: UUID, at: datetime) -> None:
        """Keeps the closing (for clocks not started yet) and cancels every running clock."""
        ...

    async def running(
        self, referral_id: UUID, older_than: int, stages: tuple[Stage, ...] = PRIORITY_TIMED
    ) -> list[RunningStage]:
        """The running stages of these whose timing is older than this version, not extended."""
        ...

    async def retime(
        self,
        deadline_id: UUID,
        priority: Priority,
        due: Due,
        version: int,
        timers: dict[TimerKind, datetime],
        level: Assessment | None = None,
    ) -> None:
        """A new due time (and level); the timers not yet fired move."""
        ...


class PolicyVersions(Protocol):
    async def limits_of_version(self, version: int | None) -> Policy: ...


class ReceiverNames(Protocol):
    async def name_of(self, code: str) -> str | None:
        """A station's or centre's name, as notices show it."""
        ...


class ClockTransaction(Protocol):
    inbox: EventInbox
    outbox: EventOutbox
    clocks: ClockStore
    policies: PolicyVersions
    names: ReceiverNames
