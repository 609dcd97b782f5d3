"""The audit trail of a service, read back by an admin (shared/audit_trail.py writes it)."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from shared.audit_trail import audit
from shared.auth.dependencies import require
from shared.domain.access import Principal, Role
from shared.http_errors import error_answers
from shared.runtime import ServiceRuntime, runtime_of

__all__ = ["audit", "router"]


class AuditEntry(BaseModel):
    at: datetime
    actor: str
    actor_name: str
    role: str
    scope: str
    action: str
    case_id: UUID | None
    target: str | None


router = APIRouter(prefix="/v1", tags=["audit"], responses=error_answers(401, 403, 422, 503))


@router.get("/audit", response_model=list[AuditEntry])
async def read_audit(
    runtime: Annotated[ServiceRuntime, Depends(runtime_of)],
    _admin: Annotated[Principal, Depends(require(Role.ADMIN))],
    case_id: UUID | None = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[AuditEntry]:
    """The newest entries first, of one case or one person, or of everyone."""
    rows = await runtime.pool.fetch(
        "SELECT at, actor, actor_name, role, scope, action, case_id, target FROM audit_log "
        "WHERE ($1::uuid IS NULL OR case_id = $1) AND ($2::text IS NULL OR actor = $2) ORDER BY id DESC LIMIT $3",
        case_id,
        actor,
        limit,
    )
    return [AuditEntry.model_validate(dict(row)) for row in rows]
