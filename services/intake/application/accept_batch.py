"""Accepting a batch of reports from the 12345 platform: each item checked by the single report's rules (its
fields, across its fields, its division codes; a child anywhere is taken, as a single call about one is), then
every good item stored with its outbox events in one transaction, set-based, at most once per 12345 ticket;
committed before the answer.

The rules live where a single report's do (`AcceptReport.prepare`, `DivisionCheck`, the domain); this use case
only applies them item by item and stores the good items together (rules on the batch: `domain/batch.py`).
"""

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from services.intake.adapters import report_batches
from services.intake.adapters.report_repository import report_row
from services.intake.application.accept_report import AcceptReport, Prepared
from services.intake.domain.batch import (
    Candidate,
    ItemResult,
    in_order,
    refused,
    settle,
    to_insert,
)
from services.intake.domain.progress import progressed
from services.intake.domain.report import Report
from shared.domain.access import Principal
from shared.domain.codes import Milestone
from shared.domain.problems import FieldProblem, FieldProblems
from shared.events import Event
from shared.outbox import enqueue_many


@dataclass(frozen=True)
class ReadItem:
    """An item as the edge read it: the report and the fingerprint of its body, or what was wrong with its fields."""

    report: Report | None = None
    request_hash: str = ""
    problems: tuple[FieldProblem, ...] = ()


@dataclass(frozen=True)
class AcceptBatch:
    accept: AcceptReport  # the single report's rules, vault, secret and division check

    async def __call__(self, items: list[ReadItem], principal: Principal, now: datetime) -> list[ItemResult]:
        results, checked = self._check_each(items, principal, now)
        if not checked:
            return in_order(results)
        async with self.accept.pool_of().acquire() as connection, connection.transaction():
            children = [prepared.report.child for _, prepared in checked]
            division = await self.accept.divisions.problems_of_each(connection, children)
            paired = list(zip(checked, division, strict=True))
            results += [refused(index, problems) for (index, _), problems in paired if problems]
            good = [item for item, problems in paired if not problems]
            results += await self._store(connection, good)
        return in_order(results)

    def _check_each(
        self, items: list[ReadItem], principal: Principal, now: datetime
    ) -> tuple[list[ItemResult], list[tuple[int, Prepared]]]:
        """The items refused on their own, and the others ready to store."""
        results, checked = [], []
        for index, item in enumerate(items):
            if item.report is None:
                results.append(refused(index, item.problems))
                continue
            try:
                checked.append((index, self.accept.prepare(item.report, principal, now, item.request_hash)))
            except FieldProblems as error:
                results.append(refused(index, error.problems))
        return results, checked

    async def _store(self, connection: asyncpg.Connection, good: list[tuple[int, Prepared]]) -> list[ItemResult]:
        """Stores the first item of each ticket not stored before, and answers every item."""
        if not good:
            return []
        candidates = [
            Candidate(index, p.report_id, p.report.hotline_ticket_id, p.fields["request_hash"], p.receipt_number)
            for index, p in good
        ]
        by_id = {prepared.report_id: prepared for _, prepared in good}
        firsts = [by_id[candidate.report_id] for candidate in to_insert(candidates)]
        rows = [report_row(p.report_id, p.report, **p.fields) for p in firsts]
        inserted = await report_batches.insert_reports(connection, rows)
        tickets = sorted({c.ticket for c in candidates if c.report_id not in inserted and c.ticket is not None})
        stored = await report_batches.stored_under(connection, tickets)
        await self._announce(connection, [prepared for _, prepared in good if prepared.report_id in inserted])
        return settle(candidates, inserted, stored)

    async def _announce(self, connection: asyncpg.Connection, created: list[Prepared]) -> None:
        """Each new report's ReportReceived, and its first step for the 12345 platform and the receipt, as a single
        report's (AcceptReport): every step claimed in one statement, every outbox row written in one round trip."""
        claimed = await report_batches.claim_received(connection, [(p.report_id, p.received_at) for p in created])
        events: list[tuple[Event, str]] = []
        for prepared in created:
            report, report_id, received_at = prepared.report, prepared.report_id, prepared.received_at
            key = report.child_key(self.accept.child_key_secret, report_id)
            events.append((report.announcement(report_id, received_at), key))
            if report_id in claimed:
                client = prepared.fields["platform_client"]
                step = progressed(report_id, report.hotline_ticket_id, client, None, Milestone.RECEIVED, received_at)
                events.append((step, str(report_id)))
        await enqueue_many(connection, events)
