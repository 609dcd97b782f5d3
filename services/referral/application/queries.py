"""Reading referrals, as far as the caller may see them, each read left in the audit trail: the referral
of a report or of a case number, one referral with its history and reports, a station's or centre's
referrals, a station's copies, and the hotline supervisors' unrouted queue."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from services.referral.adapters.database import ReferralDatabase
from services.referral.application.ports import CaseReads
from services.referral.domain.case_views import HelperSeen, as_seen_by, helper_as_seen_by
from services.referral.domain.lifecycle import NO_SUCH_REFERRAL, may_list_copies, may_list_holdings
from services.referral.domain.referral import Referral
from shared.domain.access import Principal
from shared.domain.problems import NotFound
from shared.domain.referrals import ReferralStatus


@dataclass(frozen=True)
class ReferralCase:
    """A referral with its history and its reports as the caller may see them."""

    referral: Referral
    history: list[dict[str, Any]]
    reports: list[dict[str, Any]]
    helper: HelperSeen | None = None


@dataclass(frozen=True)
class CopyHeld:
    """A referral a station holds a copy of, for information."""

    referral: Referral
    reason: str
    copied_at: datetime


class ReferralQueries:
    def __init__(self, database: ReferralDatabase) -> None:
        self.database = database

    async def for_report(self, report_id: UUID, caller: Principal) -> list[Referral]:
        """The referral a report opened, or the one it was linked to."""
        async with self.database.connect() as connection:
            visible = [
                referral for referral in await connection.reads.for_report(report_id) if referral.visible_to(caller)
            ]
            await connection.audit(caller, "list", [r.referral_id for r in visible], target=f"report:{report_id}")
        return visible

    async def by_case_number(self, case_number: str, caller: Principal) -> list[Referral]:
        async with self.database.connect() as connection:
            found = await connection.reads.by_case_number(case_number)
            visible = [found] if found is not None and found.visible_to(caller) else []
            await connection.audit(caller, "list", [r.referral_id for r in visible], target=f"case:{case_number}")
        return visible

    async def copies_of(self, station_code: str, caller: Principal) -> list[CopyHeld]:
        if not may_list_copies(caller, station_code):
            raise NotFound("没有这个工作站")
        async with self.database.connect() as connection:
            copies = [CopyHeld(*row) for row in await connection.reads.copies_held_by(station_code)]
            ids = [copy.referral.referral_id for copy in copies]
            await connection.audit(caller, "list", ids, target=f"copies:{station_code}")
        return copies

    async def case(self, referral_id: UUID, caller: Principal) -> ReferralCase:
        async with self.database.connect() as connection:
            referral = await connection.reads.by_id(referral_id)
            if referral is None or not referral.visible_to(caller):
                raise NotFound(NO_SUCH_REFERRAL)
            await connection.audit(caller, "read", [referral_id])
            return await case_of(connection.reads, referral, caller)

    async def held_by(self, station_code: str, caller: Principal, open_only: bool) -> list[Referral]:
        if not may_list_holdings(caller, station_code):
            raise NotFound("没有这个工作站")
        async with self.database.connect() as connection:
            referrals = await connection.reads.held_by(station_code, open_only)
            ids = [referral.referral_id for referral in referrals]
            await connection.audit(caller, "list", ids, target=f"station:{station_code}")
        return referrals

    async def unrouted(self, caller: Principal) -> list[Referral]:
        async with self.database.connect() as connection:
            referrals = await connection.reads.unrouted()
            await connection.audit(
                caller, "list", [referral.referral_id for referral in referrals], target=ReferralStatus.UNROUTED.value
            )
        return referrals


async def case_of(reads: CaseReads, referral: Referral, caller: Principal) -> ReferralCase:
    """The referral with its history and reports as the caller sees them, even when the caller no longer holds
    it (just after a decline)."""
    history = await reads.history_of(referral.referral_id)
    reports = [as_seen_by(filed, caller) for filed in await reads.reports_of(referral.referral_id)]
    helper = helper_as_seen_by(referral.monitoring, referral.assignee_code, caller)
    return ReferralCase(referral, history, reports, helper)
