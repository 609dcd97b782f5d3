from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Query

from services.referral import repository
from services.referral.schemas import HistoryEntry, ReferralDetail, ReferralView
from shared.auth.dependencies import authenticate
from shared.auth.tokens import Principal
from shared.auth.visibility import can_see_case
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(prefix="/v1", tags=["referrals"])
Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]
Caller = Annotated[Principal, Depends(authenticate)]


@router.get("/referrals", response_model=list[ReferralView])
async def list_referrals(report_id: Annotated[UUID, Query()], runtime: Runtime, caller: Caller) -> list[ReferralView]:
    async with runtime.pool.acquire() as connection:
        rows = await repository.referrals_for_report(connection, report_id)
    return [
        ReferralView.model_validate(dict(row))
        for row in rows
        if can_see_case(caller, row["assignee_code"], row["division_code"])
    ]


@router.get("/referrals/{referral_id}", response_model=ReferralDetail)
async def get_referral(referral_id: UUID, runtime: Runtime, caller: Caller) -> ReferralDetail:
    async with runtime.pool.acquire() as connection:
        row = await repository.referral_by_id(connection, referral_id)
        if row is None or not can_see_case(caller, row["assignee_code"], row["division_code"]):
            raise HTTPException(status_code=404, detail="referral not found")
        history = await repository.history_of(connection, referral_id)
    return ReferralDetail(
        **dict(row),
        history=[HistoryEntry.model_validate(dict(entry)) for entry in history],
    )
