"""Shapes of the referral API's responses."""

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, field_validator


class ReferralView(BaseModel):
    referral_id: UUID
    report_id: UUID
    status: str
    assignee_code: str | None
    assignee_kind: str | None
    assignee_name: str | None
    priority: str
    police_required: bool
    routing_reason: str
    division_code: str | None
    created_at: datetime
    updated_at: datetime


class HistoryEntry(BaseModel):
    action: str
    actor: str
    detail: dict[str, Any]
    at: datetime

    @field_validator("detail", mode="before")
    @classmethod
    def _decode(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value


class ReferralDetail(ReferralView):
    history: list[HistoryEntry]
