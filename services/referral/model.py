from dataclasses import dataclass
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
