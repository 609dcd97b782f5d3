"""Dead letters for the hotline supervisors and administrators: never a body, nor anything personal."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from services.notification.application.dead_letter_listing import dead_letters_seen_by
from services.notification.deps import Runtime, Supervisor
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["dead letters"], responses=error_answers(401, 403, 422, 503))


class DeadLetterView(BaseModel):
    topic: str
    partition: int
    offset: int
    set_aside_at: datetime
    source_topic: str | None
    consumer_group: str | None  # who set it aside
    reason: str  # in words
    error: str  # as the consumer wrote it: error kinds and field names, never values
    report_id: UUID | None
    referral_id: UUID | None
    case_number: str | None
    event_id: UUID | None


@router.get("/dead-letters", response_model=list[DeadLetterView])
async def list_dead_letters(
    runtime: Runtime, caller: Supervisor, limit: Annotated[int, Query(ge=1, le=500)] = 200
) -> list[DeadLetterView]:
    """Newest first. An operator sees those about its area's cases and those about no known case; replay them
    once their cause is fixed with `python -m shared.dead_letters replay`."""
    found = await dead_letters_seen_by(runtime.pool, caller, limit)
    return [
        DeadLetterView(
            topic=entry.topic,
            partition=entry.partition,
            offset=entry.offset,
            set_aside_at=entry.set_aside_at,
            source_topic=entry.source_topic,
            consumer_group=entry.consumer_group,
            reason=entry.reason,
            error=entry.error,
            report_id=entry.report_id,
            referral_id=entry.referral_id,
            case_number=entry.case_number,
            event_id=entry.event_id,
        )
        for entry in found
    ]
