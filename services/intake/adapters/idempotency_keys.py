"""PostgreSQL access for Idempotency-Keys: claimed per caller, each pointing at the report it stands for."""

from uuid import UUID

import asyncpg

from services.intake.domain.idempotency import EarlierUse, IdempotencyKey


async def claim_idempotency_key(
    connection: asyncpg.Connection, principal: str, key: IdempotencyKey, report_id: UUID
) -> EarlierUse | None:
    """None when the key is new (now claimed for report_id); else its earlier use."""
    claimed = await connection.fetchval(
        "INSERT INTO idempotency_keys (principal, key, request_hash, report_id) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (principal, key) DO NOTHING RETURNING true",
        principal,
        key.key,
        key.request_hash,
        report_id,
    )
    if claimed:
        return None
    row = await connection.fetchrow(
        "SELECT request_hash, report_id FROM idempotency_keys WHERE principal = $1 AND key = $2",
        principal,
        key.key,
    )
    return EarlierUse(row["request_hash"], row["report_id"])


async def point_idempotency_key(connection: asyncpg.Connection, principal: str, key: str, report_id: UUID) -> None:
    await connection.execute(
        "UPDATE idempotency_keys SET report_id = $3 WHERE principal = $1 AND key = $2",
        principal,
        key,
        report_id,
    )
