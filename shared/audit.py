"""The audit trail of a service: who read or changed which case, and when; an admin reads it back."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from shared.auth.dependencies import require
from shared.domain.access import Principal, Role
from shared.http_errors import error_answers
from shared.runtime import ServiceRuntime, runtime_of


async def audit(
    connection: asyncpg.Connection,
    caller: Principal,
    action: str,
    case_ids: list[UUID] | None = None,
    target: str | None = None,
) -> None:
    """One row per case (or one without a case, for a list that showed none)."""
    rows = [
        (caller.subject, caller.role.value, caller.scope, action, case_id, target) for case_id in case_ids or [None]
    ]
    await connection.executemany(
        "INSERT INTO audit_log (actor, role, scope, action, case_id, target) VALUES ($1, $2, $3, $4, $5, $6)", rows
    )


class AuditEntry(BaseModel):
    at: datetime
    actor: str
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
        "SELECT at, actor, role, scope, action, case_id, target FROM audit_log "
        "WHERE ($1::uuid IS NULL OR case_id = $1) AND ($2::text IS NULL OR actor = $2) ORDER BY id DESC LIMIT $3",
        case_id,
        actor,
        limit,
    )
    return [AuditEntry.model_validate(dict(row)) for row in rows]
