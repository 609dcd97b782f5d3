"""The FastAPI dependencies of intake, defined once: who may call, the runtime, and the use cases.

They are `async` so that FastAPI does not hand each to a worker thread and back."""

from typing import Annotated

from fastapi import Depends, Request

from services.intake.application.accept_batch import AcceptBatch
from services.intake.application.accept_report import AcceptReport
from services.intake.application.callbacks import Callbacks
from services.intake.application.read_reports import ReadReports
from services.intake.application.receipts import ReceiptLookup
from services.intake.application.stuck_reports import StuckReports
from shared.auth.dependencies import require
from shared.domain.access import Principal, Role
from shared.runtime import ServiceRuntime, runtime_of

Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]
Reader = Annotated[Principal, Depends(require(Role.OPERATOR, Role.COMMITTEE, Role.ADMIN))]
Supervisor = Annotated[Principal, Depends(require(Role.OPERATOR, Role.ADMIN))]
Watcher = Annotated[Principal, Depends(require(Role.COMMITTEE, Role.COUNTY_CENTRE, Role.ADMIN))]


async def accept_report_of(request: Request) -> AcceptReport:
    return request.app.state.accept_report


async def accept_batch_of(request: Request) -> AcceptBatch:
    return request.app.state.accept_batch


async def read_reports_of(request: Request) -> ReadReports:
    return request.app.state.read_reports


async def stuck_reports_of(request: Request) -> StuckReports:
    return request.app.state.stuck_reports


async def callbacks_of(request: Request) -> Callbacks:
    return request.app.state.callbacks


async def receipt_lookup_of(request: Request) -> ReceiptLookup:
    return request.app.state.receipt_lookup


AcceptReportDep = Annotated[AcceptReport, Depends(accept_report_of)]
AcceptBatchDep = Annotated[AcceptBatch, Depends(accept_batch_of)]
ReadReportsDep = Annotated[ReadReports, Depends(read_reports_of)]
StuckReportsDep = Annotated[StuckReports, Depends(stuck_reports_of)]
CallbacksDep = Annotated[Callbacks, Depends(callbacks_of)]
ReceiptLookupDep = Annotated[ReceiptLookup, Depends(receipt_lookup_of)]
