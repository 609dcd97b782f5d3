"""Reading reports back: one report or the newest ones, as the caller's role may see them, every read audited."""

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from services.intake.adapters import case_repository, report_repository
from services.intake.adapters.identity_vault import IdentityVault
from services.intake.domain.report_views import ReportListItem, ReportView, list_item, report_view
from services.intake.domain.timeline import with_receipt_of_the_report
from shared.audit import audit
from shared.domain.access import Principal, operators_area
from shared.domain.problems import NotFound


@dataclass(frozen=True)
class ReadReports:
    pool_of: Callable[[], asyncpg.Pool]
    vault: IdentityVault

    async def one(self, report_id: UUID, principal: Principal) -> ReportView:
        async with self.pool_of().acquire() as connection:
            stored = await report_repository.report_by_id(connection, report_id)
            if stored is None or not stored.visible_to(principal):
                raise NotFound("报告不存在")
            referral_id = UUID(stored.routing.referral_id) if stored.routing.referral_id else None
            entries = await case_repository.timeline_of(connection, report_id, referral_id)
            await audit(connection, principal, "read", [report_id])
        timeline = with_receipt_of_the_report(stored.received_at, entries)
        return report_view(stored, principal, self.vault.open, timeline)

    async def recent(self, principal: Principal, mine: bool, limit: int) -> list[ReportListItem]:
        """The newest reports, of this caller only when `mine`."""
        async with self.pool_of().acquire() as connection:
            stored = await report_repository.recent_reports(
                connection, principal.subject if mine else None, operators_area(principal), limit
            )
            await audit(connection, principal, "list", [report.report_id for report in stored], target="recent reports")
        return [list_item(report) for report in stored]
