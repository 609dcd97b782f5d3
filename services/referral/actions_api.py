"""The station's and centre's actions on a referral, one endpoint each. Each answers with the referral
as it now is; 404 for a referral the caller may not see, 403 for an action its role may not take,
409 for one the referral's state does not allow."""

from collections.abc import Awaitable, Callable
from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, HTTPException, Request

from services.referral import action_requests as body
from services.referral import repository
from services.referral.api import referral_detail
from services.referral.lifecycle import Refused
from services.referral.schemas import ReferralDetail
from services.referral.station_actions import StationActions
from shared.auth.dependencies import authenticate
from shared.domain.access import Principal
from shared.http_errors import error_answers
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(
    prefix="/v1/referrals/{referral_id}",
    tags=["station actions"],
    responses=error_answers(401, 403, 404, 409, 422, 503),
)
Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]
Caller = Annotated[Principal, Depends(authenticate)]


async def actions_of(request: Request) -> StationActions:
    runtime = await runtime_of(request)
    return StationActions(runtime.pool, lambda: request.app.state.gazetteer.current)


Actions = Annotated[StationActions, Depends(actions_of)]


async def _answer(done: Awaitable[asyncpg.Record], runtime: ServiceRuntime, caller: Principal) -> ReferralDetail:
    """The referral as the action left it, even when the caller no longer holds it (after a decline)."""
    try:
        referral = await done
    except Refused as refused:
        raise HTTPException(status_code=refused.status, detail=refused.message) from None
    async with runtime.pool.acquire() as connection:
        copies = await repository.copy_holders(connection, referral["referral_id"])
        return await referral_detail(connection, referral, copies, caller)


def _endpoint(path: str, request_type: type, method: Callable[[StationActions], Callable], summary: str) -> None:
    async def act(referral_id: UUID, payload: request_type, actions: Actions, runtime: Runtime, caller: Caller):  # type: ignore[valid-type]
        return await _answer(method(actions)(referral_id, caller, payload), runtime, caller)

    router.add_api_route(path, act, methods=["POST"], response_model=ReferralDetail, summary=summary)


_endpoint("/acknowledge", body.Acknowledge, lambda a: a.acknowledge, "签收 Acknowledge")
_endpoint("/contacts", body.Contact, lambda a: a.record_contact, "记录联系 Record a contact")
_endpoint("/visits", body.HomeVisit, lambda a: a.record_home_visit, "记录入户走访 Record a home visit")
_endpoint("/assessments", body.GuardianshipAssessment, lambda a: a.record_assessment, "监护评估 Record an assessment")
_endpoint("/police-notifications", body.PoliceNotified, lambda a: a.record_police_notified, "记录报警 Police notified")
_endpoint("/decline", body.Decline, lambda a: a.decline, "退回并建议 Decline, naming the right township")
_endpoint("/reassign", body.Reassign, lambda a: a.reassign, "改派 Reassign (centre) or dispatch (supervisors)")
_endpoint("/priority", body.ChangePriority, lambda a: a.change_priority, "调整优先级 Change priority (centre)")
_endpoint("/close", body.Close, lambda a: a.close, "办结 Close with an outcome")
