"""Referral's storage in memory, on the ports of services.referral.application.ports: the rows PostgreSQL
would hold, kept in dicts and lists, so that referring reports and acting on referrals run in microseconds.
A transaction that raises leaves the rows as they were."""

import copy
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from services.referral.domain.aftercare import GUARDIANSHIP_COLUMNS, MONITORING_COLUMNS
from services.referral.domain.case_views import FiledReport as Filed
from services.referral.domain.changes import HistoryEntry, TaskDone, TaskHanded
from services.referral.domain.idempotency import Answer, KeyedRequest
from services.referral.domain.opening import NewReferral
from services.referral.domain.referral import Referral
from services.referral.domain.routing import Station, covering_codes
from shared.domain.access import Principal
from shared.domain.monitoring import TaskKind
from shared.domain.referrals import ReferralStatus
from shared.events import Event, ReportReceived, utcnow


@dataclass
class FiledReport:
    report_id: UUID
    referral_id: UUID
    child_key: str | None
    received_at: datetime
    linked: bool
    report: dict = field(default_factory=dict)


@dataclass
class Rows:
    """What the referral database holds."""

    stations: dict[str, Station] = field(default_factory=dict)
    referrals: dict[UUID, Referral] = field(default_factory=dict)
    reports: dict[UUID, FiledReport] = field(default_factory=dict)
    history: list[HistoryEntry] = field(default_factory=list)
    copies: dict[tuple[UUID, str], str] = field(default_factory=dict)
    outbox: list[tuple[Event, str]] = field(default_factory=list)
    processed: set[UUID] = field(default_factory=set)
    audit: list[tuple[str, str, list[UUID]]] = field(default_factory=list)
    case_numbers: dict[tuple[str, int], int] = field(default_factory=dict)  # the last taken of each area and year
    answers: dict[tuple[str, str], tuple[str, Answer | None]] = field(default_factory=dict)  # by (caller, key)
    open_tasks: dict[tuple[UUID, TaskKind], str] = field(default_factory=dict)  # the village, by (referral, kind)
    directors: set[str] = field(default_factory=set)  # the villages with an active child director

    def of_report(self, report_id: UUID) -> Referral:
        return self.referrals[self.reports[report_id].referral_id]


class InMemoryReferrals:
    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    async def locked(self, referral_id: UUID) -> Referral | None:
        return self.rows.referrals.get(referral_id)

    async def referral_of_report(self, report_id: UUID) -> Referral | None:
        filed = self.rows.reports.get(report_id)
        return self.rows.referrals.get(filed.referral_id) if filed else None

    async def take_case_numbers(self, wanted: Mapping[tuple[str, int], int]) -> dict[tuple[str, int], int]:
        firsts = {}
        for key, count in wanted.items():
            firsts[key] = self.rows.case_numbers.get(key, 0) + 1
            self.rows.case_numbers[key] = firsts[key] + count - 1
        return firsts

    async def open_referral_of_child(self, child_key: str) -> Referral | None:
        of_child = [referral for referral in self._not_closed() if referral.child_key == child_key]
        return min(of_child, key=lambda referral: referral.created_at, default=None)

    async def children_with_open_referrals(self, child_keys: list[str]) -> set[str]:
        return {referral.child_key for referral in self._not_closed() if referral.child_key in child_keys}

    async def reports_of_children_since(self, children: list[tuple[str, datetime]]) -> dict[str, int]:
        reports = self.rows.reports.values()
        return {key: sum(1 for r in reports if r.child_key == key and r.received_at > since) for key, since in children}

    async def insert(self, referrals: list[NewReferral]) -> dict[UUID, Referral]:
        stored = {}
        taken = {referral.report_id for referral in self.rows.referrals.values()}
        for new in referrals:
            if new.report_id in taken:
                continue
            taken.add(new.report_id)
            referral = self._joined(
                Referral(
                    **{name: getattr(new, name) for name in NewReferral.__dataclass_fields__},
                    assignee_kind=None,
                    assignee_name=None,
                    updated_at=new.created_at,
                    version=1,
                    decline_count=0,
                    report_count=1,
                    **dict.fromkeys(("acknowledged_at", "first_contact_at", "home_visit_at", "assessed_at"), None),
                    **dict.fromkeys(("assessment", "police_notified_at", "closed_at", "outcome"), None),
                )
            )
            self.rows.referrals[referral.referral_id] = stored[referral.report_id] = referral
        return stored

    async def file_first_reports(self, filed: list[tuple[UUID, ReportReceived, str | None]]) -> None:
        for referral_id, report, key in filed:
            self._file(referral_id, report, key, linked=False)

    async def file_linked_report(self, referral_id: UUID, report: ReportReceived, child_key: str) -> bool:
        return self._file(referral_id, report, child_key, linked=True)

    async def update(self, referral_id: UUID, fields: Mapping[str, object]) -> Referral:
        before = self.rows.referrals[referral_id]
        kept = {name: value for name, value in fields.items() if name not in MONITORING_COLUMNS + GUARDIANSHIP_COLUMNS}
        monitoring = replace(before.monitoring, **{k: v for k, v in fields.items() if k in MONITORING_COLUMNS})
        guardianship = replace(before.guardianship, **{k: v for k, v in fields.items() if k in GUARDIANSHIP_COLUMNS})
        after = replace(before, **kept, monitoring=monitoring, guardianship=guardianship)
        after = replace(after, version=before.version + 1, updated_at=utcnow())
        self.rows.referrals[referral_id] = self._joined(after)
        return self.rows.referrals[referral_id]

    async def append_history(self, entries: list[HistoryEntry]) -> None:
        self.rows.history += entries

    async def add_copy(self, referral_id: UUID, station_code: str, reason: str) -> bool:
        if (referral_id, station_code) in self.rows.copies:
            return False
        self.rows.copies[referral_id, station_code] = reason
        self.rows.referrals[referral_id] = self._joined(self.rows.referrals[referral_id])
        return True

    async def former_holders(self, referral_id: UUID) -> set[str]:
        entries = [entry.detail for entry in self.rows.history if entry.referral_id == referral_id]
        return {str(d[name]) for d in entries for name in ("assignee_code", "moved_to") if d.get(name)}

    def _not_closed(self) -> list[Referral]:
        return [referral for referral in self.rows.referrals.values() if referral.status is not ReferralStatus.CLOSED]

    def _file(self, referral_id: UUID, report: ReportReceived, key: str | None, linked: bool) -> bool:
        if report.report_id in self.rows.reports:
            return False
        self.rows.reports[report.report_id] = FiledReport(
            report.report_id, referral_id, key, report.received_at, linked, report.model_dump(mode="json")
        )
        return True

    def _joined(self, referral: Referral) -> Referral:
        """With its holder's kind and name and the stations holding a copy, as the database reads it."""
        holder = self.rows.stations.get(referral.assignee_code or "")
        copies = tuple(code for referral_id, code in self.rows.copies if referral_id == referral.referral_id)
        kind, name = (holder.kind, holder.name) if holder else (None, None)
        held = self.rows.open_tasks.items()
        tasks = tuple((task, village) for (rid, task), village in held if rid == referral.referral_id)
        return replace(referral, assignee_kind=kind, assignee_name=name, copies_to=copies, open_tasks=tasks)


class InMemoryStations:
    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    async def covering(self, division_codes: list[str | None]) -> dict[str, Station]:
        codes = covering_codes(division_codes)
        return {code: self.rows.stations[code] for code in codes if code in self.rows.stations}


class InMemoryOutbox:
    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    async def put(self, events: list[tuple[Event, str]]) -> None:
        self.rows.outbox += events


class InMemoryCaseReads:
    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    async def history_of(self, referral_id: UUID) -> list[dict[str, Any]]:
        return [
            {"action": entry.action, "actor": entry.actor, "detail": entry.detail, "at": utcnow()}
            for entry in self.rows.history
            if entry.referral_id == referral_id
        ]

    async def reports_of(self, referral_id: UUID) -> list[Filed]:
        filed = [report for report in self.rows.reports.values() if report.referral_id == referral_id]
        return [Filed(report.report_id, report.received_at, report.linked, report.report) for report in filed]


class InMemoryAnswers:
    """Keys taken and the answers kept; one transaction at a time here, so nothing waits."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    async def claim(self, request: KeyedRequest) -> tuple[str, Answer | None] | None:
        earlier = self.rows.answers.get((request.caller, request.key))
        if earlier is None:
            self.rows.answers[request.caller, request.key] = (request.fingerprint, None)
        return earlier

    async def keep(self, request: KeyedRequest, answer: Answer) -> None:
        self.rows.answers[request.caller, request.key] = (request.fingerprint, answer)


class InMemoryTasks:
    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    async def record(self, referral_id: UUID, task: TaskHanded | TaskDone, at: datetime) -> None:
        if isinstance(task, TaskHanded):
            self.rows.open_tasks[referral_id, task.kind] = task.village_code
        else:
            self.rows.open_tasks.pop((referral_id, task.kind), None)

    async def close_all(self, referral_id: UUID, at: datetime) -> None:
        for key in [key for key in self.rows.open_tasks if key[0] == referral_id]:
            del self.rows.open_tasks[key]


class InMemoryDirectors:
    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    async def is_active(self, village_code: str) -> bool:
        return village_code in self.rows.directors


class InMemoryTransaction:
    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.tasks = InMemoryTasks(rows)
        self.directors = InMemoryDirectors(rows)
        self.referrals = InMemoryReferrals(rows)
        self.stations = InMemoryStations(rows)
        self.outbox = InMemoryOutbox(rows)
        self.reads = InMemoryCaseReads(rows)
        self.answers = InMemoryAnswers(rows)

    async def claim(self, events: list) -> list:
        fresh = []
        for event in events:
            if event.event_id not in self.rows.processed:
                self.rows.processed.add(event.event_id)
                fresh.append(event)
        return fresh

    async def hold(self, keys: list[str]) -> None:
        """One transaction at a time here: nothing to wait for."""

    async def audit(self, caller: Principal, action: str, case_ids: list[UUID]) -> None:
        self.rows.audit.append((caller.subject, action, case_ids))


class InMemoryTransactions:
    def __init__(self, stations: list[Station]) -> None:
        self.rows = Rows(stations={station.code: station for station in stations})

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[InMemoryTransaction]:
        saved = {name: copy.copy(value) for name, value in vars(self.rows).items()}
        try:
            yield InMemoryTransaction(self.rows)
        except BaseException:
            vars(self.rows).update(saved)
            raise
