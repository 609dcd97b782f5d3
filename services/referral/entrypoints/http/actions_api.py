"""The station's and centre's actions on a referral, one endpoint each, from the table below. Each answers
with the referral as it now is; 404 for a referral the caller may not see, 403 for an action its role may
not take, 409 for one the referral's state does not allow (with `code` no_longer_held for a station or centre
the referral has moved away from). An action sent with an Idempotency-Key answers the same when sent again.

A new action is a method of Referral (domain/referral.py) or a function of a domain module beside it
(monitoring.py, guardianship.py), a request body that calls it (action_requests.py) and a row here."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from services.referral.application.queries import ReferralCase
from services.referral.deps import ActDep, Caller
from services.referral.domain.idempotency import HEADER, KEY_PATTERN, keyed
from services.referral.entrypoints.http import action_requests as body
from services.referral.entrypoints.http.referral_responses import ReferralDetail
from shared.http_errors import error_answers

router = APIRouter(
    prefix="/v1/referrals/{referral_id}",
    tags=["station actions"],
    responses=error_answers(401, 403, 404, 409, 422, 503),
)

ACTIONS: list[tuple[str, type[body.ActionBody], str]] = [
    ("/acknowledge", body.Acknowledge, "签收 Acknowledge"),
    ("/contacts", body.Contact, "记录联系 Record a contact"),
    ("/visits", body.HomeVisit, "记录入户走访 Record a home visit"),
    ("/assessments", body.GuardianshipAssessment, "监护评估 Record an assessment"),
    ("/police-notifications", body.PoliceNotified, "记录报警 Police notified (when, which 派出所, case number)"),
    ("/police-feedback", body.PoliceFeedbackGiven, "记录公安反馈 The police's feedback, once they were told"),
    ("/decline", body.Decline, "退回并建议 Decline, naming the right township"),
    ("/reassign", body.Reassign, "改派 Reassign (centre) or dispatch (supervisors)"),
    ("/priority", body.ChangePriority, "调整优先级 Change priority (centre)"),
    ("/tasks", body.HandTask, "交办村(居)儿童主任 Hand a contact, home visit or follow-up visit to a village"),
    ("/helpers", body.HelperNamed, "指定结对帮扶人 Name the pairing helper of a child under monitoring"),
    ("/follow-up-visits", body.FollowUpVisit, "记录随访 Record a follow-up visit of a child under monitoring"),
    ("/monitoring-end", body.MonitoringEnded, "结束监护监测 End monitoring: turned 18, or moved away (transferred)"),
    ("/guardianship", body.GuardianshipStarted, "临时监护 Start temporary guardianship (county centre)"),
    ("/guardianship/not-needed", body.GuardianshipNotNeeded, "无需临时监护 Guardianship not needed (county centre)"),
    ("/guardianship/end", body.GuardianshipEnded, "结束临时监护 End temporary guardianship (county centre)"),
    ("/close", body.Close, "办结 Close with an outcome (a P1 or police case needs the police notice and a contact)"),
]


# Sent again with the same key and body, an action answers what it first answered and changes nothing.
IdempotencyKey = Annotated[
    str | None, Header(alias=HEADER, pattern=KEY_PATTERN, description="1–64 of A-Z a-z 0-9 _ -, one per action")
]


def _endpoint(path: str, request_type: type[body.ActionBody], summary: str) -> None:
    async def act(
        referral_id: UUID,
        payload: request_type,  # type: ignore[valid-type]
        acting: ActDep,
        caller: Caller,
        request: Request,
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        sent = payload.model_dump(mode="json")
        keyed_request = keyed(caller, idempotency_key, request.url.path, sent) if idempotency_key else None
        answer = await acting.answered(referral_id, caller, payload.apply, _rendered, keyed_request)
        return JSONResponse(answer.body, status_code=answer.status)

    router.add_api_route(path, act, methods=["POST"], response_model=ReferralDetail, summary=summary)


def _rendered(case: ReferralCase) -> dict[str, Any]:
    return ReferralDetail.of_case(case).model_dump(mode="json")


for _path, _request_type, _summary in ACTIONS:
    _endpoint(_path, _request_type, _summary)
