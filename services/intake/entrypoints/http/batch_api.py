"""The 12345 platform's batch intake: `POST /v1/reports/batch` with `{"reports": [...]}`, 1 to 500 reports, each
the body `POST /v1/reports` takes, each answered on its own.

201: every item is stored (now, or before under the same ticket and body). 207: some item was refused; each
refused item names its bad fields as the single report's 422 would, and stores nothing, while the others are
stored. Both answer `results`, one per item in the batch's order. 422: the batch itself is malformed (not an
object with a `reports` list of JSON objects, empty, or over 500), naming the field (`reports`, `reports.3`).
"""

from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SkipValidation, ValidationError
from pydantic_core import PydanticCustomError

from services.intake.application.accept_batch import ReadItem
from services.intake.deps import AcceptBatchDep, Operator
from services.intake.domain.batch import MAX_ITEMS, ItemOutcome, ItemResult, all_stored
from services.intake.domain.receipts import shown
from services.intake.entrypoints.http.report_request import ReportIn
from shared.events import utcnow
from shared.http_errors import ProblemView, error_answers, validation_problems

router = APIRouter(prefix="/v1", tags=["reports"], responses=error_answers(401, 403, 422, 503))


def _an_object(value: object) -> object:
    if not isinstance(value, dict):
        raise PydanticCustomError("model_type", "须为一份报告（JSON对象）")
    return value


# Each item is documented as a report, but read apart (read_item), so that one bad item refuses only itself.
Item = Annotated[SkipValidation[ReportIn], BeforeValidator(_an_object)]


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reports: Annotated[list[Item], Field(min_length=1, max_length=MAX_ITEMS, description="each as POST /v1/reports")]


class ItemAnswer(BaseModel):
    index: int  # the item's place in `reports`, from 0
    status: ItemOutcome  # created, accepted_before (the same ticket and body were stored before), refused
    report_id: str | None = None
    receipt_number: str | None = None  # a mandatory reporter's, to read aloud: XXXX-XXXX-XXXX
    errors: list[ProblemView] = []  # a refused item's bad fields, as POST /v1/reports names them


class BatchAnswer(BaseModel):
    created: int
    accepted_before: int
    refused: int
    results: list[ItemAnswer]


@router.post(
    "/reports/batch",
    status_code=201,
    response_model=BatchAnswer,
    responses={207: {"model": BatchAnswer, "description": "some items refused, each naming its bad fields"}},
)
async def submit_batch(
    batch: BatchIn, response: Response, accept_batch: AcceptBatchDep, principal: Operator
) -> BatchAnswer:
    results = await accept_batch([read_item(item) for item in batch.reports], principal, now=utcnow())
    if not all_stored(results):
        response.status_code = 207
    return BatchAnswer(
        created=sum(result.outcome is ItemOutcome.CREATED for result in results),
        accepted_before=sum(result.outcome is ItemOutcome.ACCEPTED_BEFORE for result in results),
        refused=sum(result.outcome is ItemOutcome.REFUSED for result in results),
        results=[_answer(result) for result in results],
    )


def read_item(body: object) -> ReadItem:
    """The item read as POST /v1/reports reads its body, or its bad fields named as that endpoint names them."""
    try:
        report = ReportIn.model_validate(body)
    except ValidationError as error:
        return ReadItem(problems=tuple(validation_problems(error.errors(include_input=False))))
    return ReadItem(report.to_report(), report.fingerprint())


def _answer(result: ItemResult) -> ItemAnswer:
    return ItemAnswer(
        index=result.index,
        status=result.outcome,
        report_id=str(result.report_id) if result.report_id else None,
        receipt_number=shown(result.receipt_number) if result.receipt_number else None,
        errors=[ProblemView(field=p.field, code=p.code, message=p.message) for p in result.problems],
    )
