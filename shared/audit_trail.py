"""Writing the audit trail: who (subject and name) read or changed which case, or was refused, and when."""

import logging
from uuid import UUID

import asyncpg
from starlette.requests import Request

from shared.domain.access import Principal

REFUSALS_AUDITED = (403, 404)
logger = logging.getLogger(__name__)


async def audit(
    connection: asyncpg.Connection,
    caller: Principal,
    action: str,
    case_ids: list[UUID] | None = None,
    target: str | None = None,
) -> None:
    """One row per case (or one without a case, for a list that showed none)."""
    rows = [
        (caller.subject, caller.name, caller.role.value, caller.scope, action, case_id, target)
        for case_id in case_ids or [None]
    ]
    await connection.executemany(
        "INSERT INTO audit_log (actor, actor_name, role, scope, action, case_id, target) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        rows,
    )


async def audit_refusal(request: Request, status: int) -> None:
    """A request refused after sign-in (403, or 404 for what lies outside the caller's area): the method and
    path, never the query or body. An audit that cannot be written does not change the answer."""
    caller: Principal | None = getattr(request.state, "principal", None)
    if caller is None or status not in REFUSALS_AUDITED:
        return
    try:
        async with request.app.state.runtime.pool.acquire(timeout=2) as connection:
            await audit(connection, caller, f"refused_{status}", target=f"{request.method} {request.url.path}"[:300])
    except Exception:  # noqa: BLE001 - the refusal stands whatever the audit's fate
        logger.warning("a refusal could not be audited", exc_info=True)


async def audit_read(
    pool: asyncpg.Pool, caller: Principal, case_ids: list[UUID], target: str | None = None, action: str = "list"
) -> None:
    """A read outside any transaction: one row per case shown (or one for a list that showed none)."""
    async with pool.acquire() as connection:
        await audit(connection, caller, action, list(dict.fromkeys(case_ids)), target)
