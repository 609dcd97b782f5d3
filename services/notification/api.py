from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from pydantic import BaseModel

from shared.auth.dependencies import authenticate
from shared.domain.access import Principal, can_see_case, may_watch_area
from shared.http_errors import error_answers
from shared.runtime import ServiceRuntime, runtime_of

router = APIRouter(prefix="/v1", tags=["deadlines"], responses=error_answers(401, 403, 404, 422, 503))
Caller = Annotated[Principal, Depends(authenticate)]
Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]


DEADLINE_COLUMNS = (
    "deadline_id, referral_id, report_id, stage, priority, assignee_code, starts_at, due_at, provisional, status, "
    "policy_version"
)


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
    policy_version: int | None


@router.get("/deadlines", response_model=list[DeadlineView])
async def list_deadlines(referral_id: Annotated[UUID, Query()], runtime: Runtime, caller: Caller) -> list[DeadlineView]:
    rows = await runtime.pool.fetch(
        f"SELECT {DEADLINE_COLUMNS} FROM deadlines WHERE referral_id = $1 ORDER BY due_at",
        referral_id,
    )
    return [DeadlineView.model_validate(dict(row)) for row in rows if can_see_case(caller, row["assignee_code"])]


@router.get("/stations/{code}/deadlines", response_model=list[DeadlineView])
async def station_deadlines(
    code: Annotated[str, Path(pattern=r"^[0-9]{6}([0-9]{3})?$", description="a station's or centre's code")],
    runtime: Runtime,
    caller: Caller,
) -> list[DeadlineView]:
    """The running clocks of the cases a station or centre holds, the soonest first: its inbox's order."""
    if not can_see_case(caller, code):
        raise HTTPException(status_code=404, detail="没有这个工作站")
    rows = await runtime.pool.fetch(
        f"SELECT {DEADLINE_COLUMNS} FROM deadlines WHERE assignee_code = $1 AND status = 'pending' "
        "ORDER BY due_at LIMIT 5000",
        code,
    )
    return [DeadlineView.model_validate(dict(row)) for row in rows]


class OverdueView(DeadlineView):
    overdue_by_minutes: int
    supervision_issued: bool  # 督办


@router.get("/overdue", response_model=list[OverdueView])
async def overdue(
    area: Annotated[str, Query(pattern=r"^[0-9]{2,9}$", description="a division code prefix")],
    runtime: Runtime,
    caller: Caller,
) -> list[OverdueView]:
    """Stages past their deadline and not done, in an area the caller covers."""
    if not may_watch_area(caller, area):
        raise HTTPException(status_code=404, detail="没有这个区域")
    rows = await runtime.pool.fetch(
        "SELECT d.deadline_id, d.referral_id, d.report_id, d.stage, d.priority, d.assignee_code, d.starts_at, "
        "d.due_at, d.provisional, d.status, d.policy_version, "
        "(extract(epoch FROM now() - d.due_at) / 60)::int AS overdue_by_minutes, "
        "EXISTS (SELECT 1 FROM timers t WHERE t.deadline_id = d.deadline_id AND t.kind = 'supervision' "
        "AND t.status = 'fired') AS supervision_issued "
        "FROM deadlines d WHERE d.status = 'pending' AND d.due_at < now() AND d.assignee_code LIKE $1 || '%' "
        "ORDER BY d.due_at LIMIT 1000",
        area,
    )
    return [OverdueView.model_validate(dict(row)) for row in rows if can_see_case(caller, row["assignee_code"])]
