from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, Response

from services.intake import repository
from services.intake.reports import IdempotencyKeyReused, ReportIntake
from services.intake.schemas import ReportAccepted, ReportIn
from services.intake.views import ReportListItem, ReportView, list_item, report_view
from shared.audit import audit
from shared.auth.dependencies import require
from shared.domain.access import Principal, Role, can_see_case
from shared.events import utcnow
from shared.http_errors import error_answers
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(prefix="/v1", tags=["reports"], responses=error_answers(401, 403, 404, 409, 422, 503))
Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]
Reader = Annotated[Principal, Depends(require(Role.OPERATOR, Role.COMMITTEE, Role.ADMIN))]


async def intake_of(request: Request) -> ReportIntake:
    return request.app.state.intake


Intake = Annotated[ReportIntake, Depends(intake_of)]


@router.post(
    "/reports",
    status_code=201,
    response_model=ReportAccepted,
    responses={200: {"description": "the same ticket or Idempotency-Key was accepted before"}},
)
async def submit_report(
    report: ReportIn,
    response: Response,
    intake: Intake,
    principal: Operator,
    idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
) -> ReportAccepted:
    try:
        acceptance = await intake.accept(report, principal, idempotency_key, now=utcnow())
    except IdempotencyKeyReused:
        raise HTTPException(status_code=409, detail="该 Idempotency-Key 已用于另一份报告") from None
    if not acceptance.created:
        response.status_code = 200
    return ReportAccepted(report_id=str(acceptance.report_id))


@router.get("/reports/{report_id}", response_model=ReportView)
async def get_report(report_id: UUID, runtime: Runtime, intake: Intake, principal: Reader) -> ReportView:
    async with runtime.pool.acquire() as connection:
        row = await repository.report_by_id(connection, report_id)
        # A committee reads its own area's reports only; another area's are as unknown as missing ones.
        if row is None or not can_see_case(principal, row["assignee_code"], row["division_code"]):
            raise HTTPException(status_code=404, detail="报告不存在")
        await audit(connection, principal, "read", [report_id])
    return report_view(row, principal, intake.vault)


@router.get("/reports", response_model=list[ReportListItem])
async def list_reports(
    runtime: Runtime,
    principal: Operator,
    mine: Annotated[bool, Query(description="only the reports this caller filed")] = True,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ReportListItem]:
    async with runtime.pool.acquire() as connection:
        rows = await repository.recent_reports(connection, principal.subject if mine else None, limit)
        await audit(connection, principal, "list", [row["report_id"] for row in rows], target="recent reports")
    return [list_item(row) for row in rows]
