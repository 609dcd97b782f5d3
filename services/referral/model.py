from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class NewReferral:
    referral_id: UUID
    report_id: UUID
    status: str
    assignee_code: str | None
    priority: str
    police_required: bool
    routing_reason: str
    division_code: str | None
    created_at: datetime
    child_key: str | None = None
    match_method: str | None = None
    candidates: list[dict[str, str]] = field(default_factory=list)
