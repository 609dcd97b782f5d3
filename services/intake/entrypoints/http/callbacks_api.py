"""The hotline's callbacks (回访): an operator records one on a report, and lists the calls still to make."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, StrictBool

from services.intake.deps import CallbacksDep, Operator
from services.intake.domain.callbacks import Callback, CallbackTask
from services.intake.entrypoints.http.report_request import bounded_text
from shared.domain.codes import Satisfaction
from shared.domain.moments import PastMoment
from shared.domain.text import from_text
from shared.events import utcnow
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["callbacks"], responses=error_answers(401, 403, 404, 422, 503))


class CallbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reached: StrictBool
    satisfaction: Satisfaction | None = None  # when, and only when, the reporter was reached
    notes: bounded_text(2000) = None  # stays in intake
    at: from_text(PastMoment) | None = None  # when the call was made; now if not said

    def to_callback(self) -> Callback:
        return Callback(self.reached, self.satisfaction, self.notes, self.at)


@router.post("/reports/{report_id}/callback", status_code=204)
async def record_callback(report_id: UUID, body: CallbackIn, callbacks: CallbacksDep, principal: Operator) -> Response:
    await callbacks.record(report_id, body.to_callback(), principal, now=utcnow())
    return Response(status_code=204)


@router.get("/callbacks/due", response_model=list[CallbackTask])
async def callbacks_due(
    callbacks: CallbacksDep, principal: Operator, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[CallbackTask]:
    """Reports whose case is closed, or whose callback deadline has come, and that are not yet called back."""
    return await callbacks.due(principal, utcnow(), limit)
