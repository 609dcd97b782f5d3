"""A referral's deadlines, the running clocks a station or centre holds (or the hotline supervisors: the
dispatch of the unrouted queue), and the overdue stages of an area."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from services.notification.adapters import deadline_queries
from services.notification.deps import Caller, Runtime, Supervisor
from services.notification.domain.notices import HOTLINE_CODE
from shared.audit_trail import audit_read
from shared.auth.dependencies import KnownArea
from shared.domain.access import Principal, can_see_case, may_watch_area
from shared.domain.problems import NotFound
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["deadlines"], responses=error_answers(401, 403, 404, 422, 503))


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
    area_code: str | None  # where the child is, for a clock the hotline holds
    case_number: str | None
    pending_extension_id: UUID | None  # a request for more time waiting for the county centre (延期申请待审批)
    pending_extension_until: datetime | None


class OverdueView(DeadlineView):
    overdue_by_minutes: int
    supervision_issued: bool  # 督办


@router.get("/deadlines", response_model=list[DeadlineView])
async def list_deadlines(referral_id: Annotated[UUID, Query()], runtime: Runtime, caller: Caller) -> list[DeadlineView]:
    rows = await deadline_queries.deadlines_of_referral(runtime.pool, referral_id)
    rows = [row for row in rows if _may_see(caller, row)]
    await audit_read(runtime.pool, caller, [row["referral_id"] for row in rows], f"deadlines:{referral_id}")
    return [DeadlineView.model_validate(row) for row in rows]


@router.get("/stations/{code}/deadlines", response_model=list[DeadlineView])
async def station_deadlines(
    code: Annotated[str, Path(pattern=r"^[0-9]{6}([0-9]{3})?$", description="a station's or centre's code")],
    runtime: Runtime,
    caller: Caller,
) -> list[DeadlineView]:
    """The running clocks of the cases a station or centre holds, the soonest first: its inbox's order."""
    if not can_see_case(caller, code):
        raise NotFound("没有这个工作站")
    rows = await deadline_queries.running_clocks_of(runtime.pool, code)
    await audit_read(runtime.pool, caller, [row["referral_id"] for row in rows], f"station:{code}")
    return [DeadlineView.model_validate(row) for row in rows]


@router.get("/overdue", response_model=list[OverdueView])
async def overdue(
    area: KnownArea,
    runtime: Runtime,
    caller: Caller,
) -> list[OverdueView]:
    """Stages past their deadline and not done, in an area the caller covers."""
    if not may_watch_area(caller, area):
        raise NotFound("没有这个区域")
    rows = [row for row in await deadline_queries.overdue_in(runtime.pool, area) if _may_see(caller, row)]
    await audit_read(runtime.pool, caller, [row["referral_id"] for row in rows], f"overdue:{area}")
    return [OverdueView.model_validate(row) for row in rows]


@router.get("/hotline/deadlines", response_model=list[DeadlineView])
async def hotline_deadlines(runtime: Runtime, supervisor: Supervisor) -> list[DeadlineView]:
    """The dispatch deadlines of the unrouted queue, the soonest first."""
    rows = await deadline_queries.running_clocks_of(runtime.pool, HOTLINE_CODE)
    await audit_read(runtime.pool, supervisor, [row["referral_id"] for row in rows], "hotline deadlines")
    return [DeadlineView.model_validate(row) for row in rows]


def _may_see(caller: Principal, row: dict) -> bool:
    """A clock the hotline holds is seen by those who cover where the child is, as a station's by its area."""
    return can_see_case(caller, row["assignee_code"], row["area_code"])
