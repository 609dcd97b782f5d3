"""A mandatory reporter looks up their receipt: public, no token; answers the step and its date only."""

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from services.intake.deps import ReceiptLookupDep
from services.intake.domain.receipts import ReceiptStatus, TooManyLookups, is_well_formed, normalise_receipt
from services.intake.entrypoints.http.report_request import Phone
from shared.events import utcnow
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["receipts"], responses=error_answers(404, 422, 503))
TOO_MANY = {"message": "查询过于频繁，请稍后再试"}


def _checked(number: str) -> str:
    if not is_well_formed(number):
        raise PydanticCustomError("receipt_number", "回执号不正确，请核对后重新输入")
    return number


ReceiptNumber = Annotated[
    str,
    BeforeValidator(lambda v: normalise_receipt(v) if isinstance(v, str) else v),
    Field(max_length=12, pattern=r"^[2-9A-HJ-NP-Z]{12}$"),
    AfterValidator(_checked),
]


class LookupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    receipt_number: ReceiptNumber
    phone: Phone


class LookupAnswer(BaseModel):
    status: ReceiptStatus  # received, being_handled or closed
    status_text: str  # 已受理, 正在办理, 已办结
    date: str  # the day of that step, in China


@router.post(
    "/receipts/lookup",
    response_model=LookupAnswer,
    responses={429: {"description": "too many lookups from this address or of this receipt; try again later"}},
)
async def look_up_receipt(body: LookupIn, request: Request, lookup: ReceiptLookupDep) -> LookupAnswer | JSONResponse:
    client = request.client.host if request.client else "unknown"
    try:
        answer = await lookup(body.receipt_number, body.phone, client, utcnow())
    except TooManyLookups:
        return JSONResponse(status_code=429, content=TOO_MANY, headers={"Retry-After": "60"})
    return LookupAnswer(status=answer.status, status_text=answer.status_text, date=answer.date)
