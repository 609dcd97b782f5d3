"""Accepting a report: checked, stored with its outbox event in one transaction, at most once.

The same 12345 ticket, or the same Idempotency-Key from the same caller, with the same request returns the first
report; with another request it is a conflict, and nothing of the second request is kept.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from services.intake.adapters import report_repository
from services.intake.adapters.idempotency_keys import claim_idempotency_key, point_idempotency_key
from services.intake.adapters.identity_vault import IdentityVault
from services.intake.application.division_check import DivisionCheck
from services.intake.application.follow_case import announce_received
from services.intake.domain.idempotency import IdempotencyKey, report_of_retry, report_of_ticket
from services.intake.domain.progress import platform_client_of
from services.intake.domain.receipts import new_receipt_number, phone_hash
from services.intake.domain.report import Report
from services.intake.domain.report_rules import OLDEST_REPORT, report_problems
from shared.domain.access import Principal
from shared.domain.problems import FieldProblems
from shared.outbox import enqueue
from shared.timezones import as_aware


@dataclass(frozen=True)
class Acceptance:
    report_id: UUID
    created: bool
    receipt_number: str | None = None  # a mandatory reporter's


@dataclass(frozen=True)
class Prepared:
    report: Report
    report_id: UUID
    received_at: datetime
    receipt_number: str | None  # a mandatory reporter's
    fields: dict[str, Any]  # the stored columns beside the report, as report_repository.report_row takes them


@dataclass(frozen=True)
class AcceptReport:
    pool_of: Callable[[], asyncpg.Pool]  # the pool exists only once the service has started
    vault: IdentityVault
    child_key_secret: bytes
    divisions: DivisionCheck
    oldest: timedelta = OLDEST_REPORT  # the oldest call still taken

    async def __call__(
        self,
        report: Report,
        principal: Principal,
        idempotency_key: IdempotencyKey | None,
        now: datetime,
        request_hash: str,
    ) -> Acceptance:
        prepared = self.prepare(report, principal, now, request_hash)
        report_id, received_at, client = prepared.report_id, prepared.received_at, prepared.fields["platform_client"]
        async with self.pool_of().acquire() as connection, connection.transaction():
            await self.divisions.check(connection, report.child)
            if idempotency_key:
                earlier = await claim_idempotency_key(connection, principal.subject, idempotency_key, report_id)
                if earlier is not None:
                    return await _accepted_before(connection, report_of_retry(idempotency_key, earlier))
            stored = await report_repository.insert_report(connection, report_id, report, **prepared.fields)
            if not stored:
                earlier_report = await report_repository.earlier_report_for_ticket(connection, report.hotline_ticket_id)
                first = report_of_ticket(request_hash, earlier_report)
                if idempotency_key:
                    await point_idempotency_key(connection, principal.subject, idempotency_key.key, first)
                return await _accepted_before(connection, first)
            announcement = report.announcement(report_id, received_at)
            await enqueue(connection, announcement, key=report.child_key(self.child_key_secret, report_id))
            await announce_received(connection, report_id, report.hotline_ticket_id, client, received_at)
        return Acceptance(report_id, created=True, receipt_number=prepared.receipt_number)

    def prepare(self, report: Report, principal: Principal, now: datetime, request_hash: str) -> Prepared:
        """The report checked on its own (FieldProblems when it fails), with its new id and what is stored beside
        it: the same for a single report and for each item of a batch."""
        received_at = as_aware(report.received_at) if report.received_at else now
        problems = report_problems(report, received_at, now, self.oldest)
        if problems:
            raise FieldProblems(problems)
        receipt = self._receipt(report)
        fields = {
            "received_at": received_at,
            "created_by": principal.subject,
            "sealed_identity": None if report.identity.is_empty() else self.vault.seal(report.identity),
            "request_hash": request_hash,
            "platform_client": platform_client_of(principal),
            "receipt": receipt,
            "hotline_area": principal.scope,
        }
        return Prepared(report, uuid4(), received_at, receipt[0] if receipt else None, fields)

    def _receipt(self, report: Report) -> tuple[str, str] | None:
        """A mandatory reporter who left a phone gets a receipt to look the report up with."""
        if not report.reporter.mandatory_reporter or not report.identity.phone:
            return None
        return new_receipt_number(secrets.randbelow), phone_hash(self.child_key_secret, report.identity.phone)


async def _accepted_before(connection: asyncpg.Connection, report_id: UUID) -> Acceptance:
    return Acceptance(
        report_id, created=False, receipt_number=await report_repository.receipt_of(connection, report_id)
    )
