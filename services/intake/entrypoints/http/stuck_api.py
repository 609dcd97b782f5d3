"""The reports that went no further, with why and since when, for the hotline supervisors and administrators;
how many there are in an area, for the committee and the county centre."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from services.intake.deps import StuckReportsDep, Supervisor, Watcher
from shared.auth.dependencies import KnownArea
from shared.domain.codes import StuckReason
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["reports"], responses=error_answers(401, 403, 422, 503))


class StuckReportView(BaseModel):
    report_id: UUID
    hotline_ticket_id: str | None
    reason: StuckReason
    since: datetime  # when the event was set aside, or when the report was accepted
    error: str | None  # the dead letter's: error kinds and field names, never values
    source_topic: str | None
    consumer_group: str | None  # who set the event aside


class StuckCount(BaseModel):
    area: str
    stuck: int


@router.get("/reports/stuck/count", response_model=StuckCount)
async def count_stuck_reports(
    stuck: StuckReportsDep,
    principal: Watcher,
    area: KnownArea,
) -> StuckCount:
    """How many reports whose child is placed in the area are stuck now: a count, for the committee's summary."""
    return StuckCount(area=area, stuck=await stuck.count_in(principal, area))


@router.get("/reports/stuck", response_model=list[StuckReportView])
async def list_stuck_reports(
    stuck: StuckReportsDep,
    principal: Supervisor,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[StuckReportView]:
    """Stuck now, longest first. Each is cleared once a referral comes of it (replay the dead letters once
    their cause is fixed: `python -m shared.dead_letters replay`)."""
    return [
        StuckReportView(
            report_id=mark.report_id,
            hotline_ticket_id=ticket,
            reason=mark.reason,
            since=mark.since,
            error=mark.error,
            source_topic=mark.source_topic,
            consumer_group=mark.consumer_group,
        )
        for mark, ticket in await stuck.listed(principal, limit)
    ]
