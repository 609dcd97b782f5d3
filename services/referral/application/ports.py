"""What the use cases that refer reports and act on referrals need from storage, inside one transaction.
adapters/ implements them on PostgreSQL; tests/fakes/ keeps them in memory."""

from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Protocol, TypeVar
from uuid import UUID

from services.referral.domain.case_views import FiledReport
from services.referral.domain.changes import HistoryEntry, TaskDone, TaskHanded
from services.referral.domain.idempotency import Answer, KeyedRequest
from services.referral.domain.opening import NewReferral
from services.referral.domain.referral import Referral
from services.referral.domain.routing import Station
from shared.domain.access import Principal
from shared.events import Event, ReportReceived

E = TypeVar("E", bound=Event)


class ReferralRepository(Protocol):
    async def locked(self, referral_id: UUID) -> Referral | None:
        """The referral, held until the transaction ends, so that two actions cannot both apply."""

    async def referral_of_report(self, report_id: UUID) -> Referral | None:
        """The referral a report opened or was linked to, not held."""

    async def take_case_numbers(self, wanted: Mapping[tuple[str, int], int]) -> dict[tuple[str, int], int]:
        """For each (area, year), the first of as many new case numbers as wanted; none is handed out twice."""

    async def open_referral_of_child(self, child_key: str) -> Referral | None:
        """The child's oldest open referral, held until the transaction ends."""

    async def children_with_open_referrals(self, child_keys: list[str]) -> set[str]: ...

    async def reports_of_children_since(self, children: list[tuple[str, datetime]]) -> dict[str, int]:
        """For each (child key, since), how many reports about the child arrived after `since`."""

    async def insert(self, referrals: list[NewReferral]) -> dict[UUID, Referral]:
        """Stores new referrals; returns those stored, by report id. A report that already has one is left out."""

    async def file_first_reports(self, filed: list[tuple[UUID, ReportReceived, str | None]]) -> None:
        """Files each (referral id, report, child key) as the first report of its new referral."""

    async def file_linked_report(self, referral_id: UUID, report: ReportReceived, child_key: str) -> bool:
        """Files a repeat report under an open referral; False when it is already filed."""

    async def update(self, referral_id: UUID, fields: Mapping[str, object]) -> Referral:
        """Sets the fields, counts a new version and returns the referral as it now is."""

    async def append_history(self, entries: list[HistoryEntry]) -> None: ...

    async def add_copy(self, referral_id: UUID, station_code: str, reason: str) -> bool:
        """Sends a station a copy for information; False when it already has one."""

    async def former_holders(self, referral_id: UUID) -> set[str]:
        """The codes of every station or centre the referral was ever placed with."""


class CaseReads(Protocol):
    async def history_of(self, referral_id: UUID) -> list[dict[str, Any]]: ...

    async def reports_of(self, referral_id: UUID) -> list[FiledReport]: ...


class KeptAnswers(Protocol):
    async def claim(self, request: KeyedRequest) -> tuple[str, Answer | None] | None:
        """Takes the caller's key for this request (None), or, when it was taken before, the fingerprint of the
        request it was taken for and the answer kept. A key being taken by another transaction is waited for."""

    async def keep(self, request: KeyedRequest, answer: Answer) -> None: ...


class StationFinder(Protocol):
    async def covering(self, division_codes: list[str | None]) -> dict[str, Station]:
        """The active stations and centres of these divisions' townships and counties, by code."""


class Tasks(Protocol):
    async def record(self, referral_id: UUID, task: TaskHanded | TaskDone, at: datetime) -> None:
        """Stores a task handed to a village, or closes the village's open task of that kind."""

    async def close_all(self, referral_id: UUID, at: datetime) -> None:
        """Closes the referral's open tasks: it has moved to another holder."""


class Directors(Protocol):
    async def is_active(self, village_code: str) -> bool:
        """Whether the village has a child director in post."""


class Outbox(Protocol):
    async def put(self, events: list[tuple[Event, str]]) -> None:
        """Adds (event, key) pairs, to be published once the transaction commits."""


class Transaction(Protocol):
    referrals: ReferralRepository
    stations: StationFinder
    outbox: Outbox
    reads: CaseReads
    answers: KeptAnswers
    tasks: Tasks
    directors: Directors

    async def claim(self, events: list[E]) -> list[E]:
        """The events not processed before, in their order; recorded as processed with this transaction."""

    async def hold(self, keys: list[str]) -> None:
        """Holds each business key (a child) until the transaction ends."""

    async def audit(self, caller: Principal, action: str, case_ids: list[UUID]) -> None: ...


class Transactions(Protocol):
    def begin(self) -> AbstractAsyncContextManager[Transaction]:
        """One transaction: committed when the block ends, rolled back when it raises."""
