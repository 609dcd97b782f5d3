from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from shared.auth.dependencies import authenticate
from shared.auth.tokens import Principal
from shared.auth.visibility import can_see_case
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(prefix="/v1", tags=["deadlines"])
Caller = Annotated[Principal, Depends(authenticate)]
Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]


class DeadlineView(BaseModel):
    deadline_id: UUID
    referral_id: UUID
    report_id: UUID
    stage: str
    priority: str
    assignee_code: str
    starts_at: datetime
    due_at: datetime
    provisional: bool
    status: str


@router.get("/deadlines", response_model=list[DeadlineView])
async def list_deadlines(referral_id: Annotated[UUID, Query()], runtime: Runtime, caller: Caller) -> list[DeadlineView]:
    rows = await runtime.pool.fetch(
        "SELECT deadline_id, referral_id, report_id, stage, priority, assignee_code, starts_at, due_at, "
        "provisional, status FROM deadlines WHERE referral_id = $1 ORDER BY due_at",
        referral_id,
    )
    return [DeadlineView.model_validate(dict(row)) for row in rows if can_see_case(caller, row["assignee_code"])]
