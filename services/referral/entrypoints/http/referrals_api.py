"""Reading referrals: by report, one with its history and reports, a station's inbox, the unrouted queue."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from services.referral.deps import Caller, ReferralQueriesDep, Supervisor
from services.referral.entrypoints.http.referral_responses import ReferralDetail, ReferralView
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["referrals"], responses=error_answers(401, 403, 404, 422, 503))


@router.get("/referrals", response_model=list[ReferralView])
async def list_referrals(
    report_id: Annotated[UUID, Query()], queries: ReferralQueriesDep, caller: Caller
) -> list[ReferralView]:
    """The referral a report opened, or the one it was linked to."""
    return [ReferralView.of(referral) for referral in await queries.for_report(report_id, caller)]


@router.get("/referrals/{referral_id}", response_model=ReferralDetail)
async def get_referral(referral_id: UUID, queries: ReferralQueriesDep, caller: Caller) -> ReferralDetail:
    return ReferralDetail.of_case(await queries.case(referral_id, caller))


@router.get("/stations/{code}/referrals", response_model=list[ReferralView])
async def station_referrals(
    code: str,
    queries: ReferralQueriesDep,
    caller: Caller,
    status: Annotated[Literal["open", "all"], Query()] = "open",
) -> list[ReferralView]:
    """A station's or centre's referrals. Another station's list is as unknown to a station as its cases."""
    referrals = await queries.held_by(code, caller, open_only=status == "open")
    return [ReferralView.of(referral) for referral in referrals]


@router.get("/unrouted", response_model=list[ReferralView])
async def unrouted(queries: ReferralQueriesDep, caller: Supervisor) -> list[ReferralView]:
    """The hotline supervisors' queue: referrals no station or centre could take, with their candidates."""
    return [ReferralView.of(referral) for referral in await queries.unrouted(caller)]
