"""The reports API: an operator files a report and reads back where it went."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response
from pydantic import BaseModel

from services.intake.deps import AcceptReportDep, Operator, Reader, ReadReportsDep
from services.intake.domain.idempotency import HEADER, KEY_PATTERN, IdempotencyKey
from services.intake.domain.receipts import shown
from services.intake.domain.report_views import ReportListItem, ReportView
from services.intake.entrypoints.http.report_request import ReportIn
from shared.events import utcnow
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["reports"], responses=error_answers(401, 403, 404, 409, 422, 503))


class ReportAccepted(BaseModel):
    report_id: str
    receipt_number: str | None = None  # a mandatory reporter's, to read aloud: XXXX-XXXX-XXXX


@router.post(
    "/reports",
    status_code=201,
    response_model=ReportAccepted,
    responses={200: {"description": "the same ticket or Idempotency-Key was accepted before, with the same body"}},
)
async def submit_report(
    report: ReportIn,
    response: Response,
    accept_report: AcceptReportDep,
    principal: Operator,
    idempotency_key: Annotated[str | None, Header(alias=HEADER, pattern=KEY_PATTERN)] = None,
) -> ReportAccepted:
    request_hash = report.fingerprint()
    key = IdempotencyKey(idempotency_key, request_hash) if idempotency_key else None
    acceptance = await accept_report(report.to_report(), principal, key, now=utcnow(), request_hash=request_hash)
    if not acceptance.created:
        response.status_code = 200
    receipt = shown(acceptance.receipt_number) if acceptance.receipt_number else None
    return ReportAccepted(report_id=str(acceptance.report_id), receipt_number=receipt)


@router.get("/reports/{report_id}", response_model=ReportView)
async def get_report(report_id: UUID, reports: ReadReportsDep, principal: Reader) -> ReportView:
    return await reports.one(report_id, principal)


@router.get("/reports", response_model=list[ReportListItem])
async def list_reports(
    reports: ReadReportsDep,
    principal: Operator,
    mine: Annotated[bool, Query(description="only the reports this caller filed")] = True,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ReportListItem]:
    return await reports.recent(principal, mine, limit)
