"""Reading referrals: by report or case number, one with its history and reports, a station's inbox and its
copies, the unrouted queue."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from services.referral.deps import Caller, ReferralQueriesDep, Supervisor
from services.referral.domain.case_numbers import CASE_NUMBER_PATTERN
from services.referral.entrypoints.http.referral_responses import CopyView, ReferralDetail, ReferralView
from shared.domain.problems import invalid
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["referrals"], responses=error_answers(401, 403, 404, 422, 503))


CaseNumber = Annotated[str | None, Query(max_length=40, pattern=CASE_NUMBER_PATTERN, examples=["晋中-2026-000123"])]


@router.get("/referrals", response_model=list[ReferralView])
async def list_referrals(
    queries: ReferralQueriesDep,
    caller: Caller,
    report_id: Annotated[UUID | None, Query()] = None,
    case_number: CaseNumber = None,
) -> list[ReferralView]:
    """The referral a report opened or was linked to (`report_id`), or the one with a case number
    (`case_number`): one of the two."""
    if (report_id is None) == (case_number is None):
        raise invalid("report_id", "report_id_or_case_number", "请给出 report_id 或 case_number 其中之一")
    if case_number is not None:
        return [ReferralView.of(referral) for referral in await queries.by_case_number(case_number, caller)]
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


@router.get("/stations/{code}/copies", response_model=list[CopyView])
async def station_copies(code: str, queries: ReferralQueriesDep, caller: Caller) -> list[CopyView]:
    """The referrals a station was sent a copy of for information (the child's household is registered in its
    township), newest first. Only the station itself lists them."""
    return [CopyView.of_copy(copy) for copy in await queries.copies_of(code, caller)]


@router.get("/unrouted", response_model=list[ReferralView])
async def unrouted(queries: ReferralQueriesDep, caller: Supervisor) -> list[ReferralView]:
    """The hotline supervisors' queue: referrals no station or centre could take, with their candidates."""
    return [ReferralView.of(referral) for referral in await queries.unrouted(caller)]
