"""Reading referrals: by report, one with its history and reports, a station's inbox, the unrouted queue."""

from typing import Annotated, Literal
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, HTTPException, Query

from services.referral import repository
from services.referral.case_views import case_report
from services.referral.lifecycle import may_see
from services.referral.schemas import HistoryEntry, ReferralDetail, ReferralView
from shared.audit import audit
from shared.auth.dependencies import authenticate, require
from shared.domain.access import Principal, Role
from shared.http_errors import error_answers
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(prefix="/v1", tags=["referrals"], responses=error_answers(401, 403, 404, 422, 503))
Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]
Caller = Annotated[Principal, Depends(authenticate)]


@router.get("/referrals", response_model=list[ReferralView])
async def list_referrals(report_id: Annotated[UUID, Query()], runtime: Runtime, caller: Caller) -> list[ReferralView]:
    """The referral a report opened, or the one it was linked to."""
    async with runtime.pool.acquire() as connection:
        rows = await repository.referrals_for_report(connection, report_id)
        visible = [
            row for row in rows if may_see(caller, row, await repository.copy_holders(connection, row["referral_id"]))
        ]
        await audit(connection, caller, "list", [row["referral_id"] for row in visible], target=f"report:{report_id}")
    return [ReferralView.model_validate(dict(row)) for row in visible]


@router.get("/referrals/{referral_id}", response_model=ReferralDetail)
async def get_referral(referral_id: UUID, runtime: Runtime, caller: Caller) -> ReferralDetail:
    async with runtime.pool.acquire() as connection:
        row = await repository.referral_by_id(connection, referral_id)
        copies = await repository.copy_holders(connection, referral_id) if row else []
        if row is None or not may_see(caller, row, copies):
            raise HTTPException(status_code=404, detail="没有这个转介")
        await audit(connection, caller, "read", [referral_id])
        return await referral_detail(connection, row, copies, caller)


async def referral_detail(
    connection: asyncpg.Connection, row: asyncpg.Record, copies: list[str], caller: Principal
) -> ReferralDetail:
    history = await repository.history_of(connection, row["referral_id"])
    reports = await repository.reports_of(connection, row["referral_id"])
    return ReferralDetail(
        **dict(row),
        history=[HistoryEntry.model_validate(dict(entry)) for entry in history],
        reports=[case_report(report, caller) for report in reports],
        copies_to=copies,
    )


@router.get("/stations/{code}/referrals", response_model=list[ReferralView])
async def station_referrals(
    code: str,
    runtime: Runtime,
    caller: Caller,
    status: Annotated[Literal["open", "all"], Query()] = "open",
) -> list[ReferralView]:
    """A station's or centre's referrals. Another station's list is as unknown to a station as its cases."""
    if not _may_list(caller, code):
        raise HTTPException(status_code=404, detail="没有这个工作站")
    async with runtime.pool.acquire() as connection:
        rows = await repository.referrals_held_by(connection, code, open_only=status == "open")
        await audit(connection, caller, "list", [row["referral_id"] for row in rows], target=f"station:{code}")
    return [ReferralView.model_validate(dict(row)) for row in rows]


@router.get("/unrouted", response_model=list[ReferralView])
async def unrouted(
    runtime: Runtime, _caller: Annotated[Principal, Depends(require(Role.OPERATOR, Role.ADMIN))]
) -> list[ReferralView]:
    """The hotline supervisors' queue: referrals no station or centre could take, with their candidates."""
    async with runtime.pool.acquire() as connection:
        rows = await repository.unrouted_referrals(connection)
        await audit(connection, _caller, "list", [row["referral_id"] for row in rows], target="unrouted")
    return [ReferralView.model_validate(dict(row)) for row in rows]


def _may_list(caller: Principal, station_code: str) -> bool:
    match caller.role:
        case Role.STATION:
            return caller.scope == station_code
        case Role.COUNTY_CENTRE | Role.COMMITTEE:
            return caller.covers(station_code)
    return True
