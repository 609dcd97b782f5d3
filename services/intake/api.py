from typing import Annotated

from fastapi import APIRouter, Depends

from services.intake.reports import accept_report
from services.intake.schemas import ReportAccepted, ReportIn
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(prefix="/v1", tags=["reports"])
Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]


@router.post("/reports", status_code=201, response_model=ReportAccepted)
async def submit_report(report: ReportIn, runtime: Runtime) -> ReportAccepted:
    report_id = await accept_report(runtime.pool, report)
    return ReportAccepted(report_id=str(report_id))
