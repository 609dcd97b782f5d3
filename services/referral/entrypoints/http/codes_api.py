"""The fixed lists a page offers, with their Chinese labels: closing outcomes and what the police did."""

from fastapi import APIRouter
from pydantic import BaseModel

from services.referral.deps import Caller
from shared.domain.outcomes import Outcome
from shared.domain.police import PoliceFeedback
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1/codes", tags=["codes"], responses=error_answers(401, 503))


class Code(BaseModel):
    code: str
    label: str


class OutcomeCode(Code):
    reporter_text: str  # what the hotline may read to the reporter


@router.get("/outcomes", response_model=list[OutcomeCode])
async def outcomes(_caller: Caller) -> list[OutcomeCode]:
    """The outcomes a referral closes with."""
    return [OutcomeCode(code=o.value, label=o.label, reporter_text=o.reporter_text) for o in Outcome]


@router.get("/police-feedback", response_model=list[Code])
async def police_feedback(_caller: Caller) -> list[Code]:
    """What the police may have done once told of a case."""
    return [Code(code=code.value, label=code.label) for code in PoliceFeedback]
