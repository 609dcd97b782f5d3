"""Accepting a report: validated, stored with its outbox event in one transaction, at most once.

The same 12345 ticket, or the same Idempotency-Key from the same caller, returns the first report.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

import asyncpg

from services.intake import repository
from services.intake.identity import IdentityVault, ReporterIdentity
from services.intake.report_rules import report_problems
from services.intake.repository import StoredReport
from services.intake.schemas import ReportIn
from shared.domain.access import Principal
from shared.domain.child_identity import ChildFacts, child_identity
from shared.domain.problems import FieldProblems
from shared.events import ReportedChild, ReporterFacts, ReportReceived, SharedReporterIdentity
from shared.outbox import enqueue
from shared.timezones import as_aware


@dataclass(frozen=True)
class Acceptance:
    report_id: UUID
    created: bool


class IdempotencyKeyReused(Exception):
    """The Idempotency-Key was used before for a different report."""


@dataclass(frozen=True)
class ReportIntake:
    pool_of: Callable[[], asyncpg.Pool]  # the pool exists only once the service has started
    vault: IdentityVault
    key_secret: bytes

    async def accept(
        self, report: ReportIn, principal: Principal, idempotency_key: str | None, now: datetime
    ) -> Acceptance:
        received_at = as_aware(report.received_at) if report.received_at else now
        problems = report_problems(report, received_at, now)
        if problems:
            raise FieldProblems(problems)
        stored = self._stored(report, principal, received_at)
        request_hash = hashlib.sha256(report.model_dump_json().encode()).hexdigest()
        async with self.pool_of().acquire() as connection, connection.transaction():
            if idempotency_key:
                earlier = await repository.claim_idempotency_key(
                    connection, principal.subject, idempotency_key, request_hash, stored.report_id
                )
                if earlier is not None:
                    if earlier["request_hash"] != request_hash:
                        raise IdempotencyKeyReused
                    return Acceptance(earlier["report_id"], created=False)
            if not await repository.insert_report(connection, stored):
                first = await repository.report_id_for_ticket(connection, report.hotline_ticket_id)
                if idempotency_key:
                    await repository.point_idempotency_key(connection, principal.subject, idempotency_key, first)
                return Acceptance(first, created=False)
            await enqueue(connection, self._announcement(report, stored), key=self.child_key(report, stored.report_id))
        return Acceptance(stored.report_id, created=True)

    def _stored(self, report: ReportIn, principal: Principal, received_at: datetime) -> StoredReport:
        identity = _identity_of(report)
        return StoredReport(
            report_id=uuid4(),
            hotline_ticket_id=report.hotline_ticket_id,
            received_at=received_at,
            channel=report.channel.value,
            created_by=principal.subject,
            child=report.child.model_dump(mode="json"),
            concerns=[concern.value for concern in report.concerns],
            immediate_danger=report.immediate_danger,
            mandatory_report=report.reporter.mandatory_reporter,
            narrative=report.narrative,
            reporter=_facts_of(report).model_dump(),
            reporter_identity=None if identity.is_empty() else self.vault.seal(identity),
            identity_shared=report.reporter.consents_to_share_identity,
        )

    def _announcement(self, report: ReportIn, stored: StoredReport) -> ReportReceived:
        shared = None
        if report.reporter.consents_to_share_identity:
            shared = SharedReporterIdentity(**_identity_of(report).model_dump())
        return ReportReceived(
            report_id=stored.report_id,
            hotline_ticket_id=report.hotline_ticket_id,
            received_at=stored.received_at,
            channel=stored.channel,
            child=ReportedChild(**stored.child),
            concerns=report.concerns,
            immediate_danger=report.immediate_danger,
            mandatory_report=report.reporter.mandatory_reporter,
            reporter=_facts_of(report),
            reporter_identity=shared,
            narrative=report.narrative,
        )

    def child_key(self, report: ReportIn, report_id: UUID) -> str:
        """The Kafka key: the child's identity where intake can tell it, else the report's own id. It spreads
        the load; referral's lock on the child's identity is what keeps one child's reports in order."""
        child = report.child
        facts = ChildFacts(id_number=child.id_number, name=child.name, birth_date=child.birth_date, age=child.age)
        return child_identity(self.key_secret, facts, child.division_code) or str(report_id)


def _identity_of(report: ReportIn) -> ReporterIdentity:
    reporter = report.reporter
    return ReporterIdentity(
        name=reporter.name,
        phone=reporter.phone,
        relation=reporter.relation,
        institution_name=reporter.institution_name,
    )


def _facts_of(report: ReportIn) -> ReporterFacts:
    reporter = report.reporter
    return ReporterFacts(
        mandatory_reporter=reporter.mandatory_reporter,
        institution_type=reporter.institution_type.value if reporter.institution_type else None,
        anonymous=reporter.anonymous,
    )
