"""Transaction-scoped advisory locks on business keys (a child, a referral)."""

import asyncpg


async def hold(connection: asyncpg.Connection, keys: list[str]) -> None:
    """Holds each key until the transaction ends. Taken in one order, so two transactions holding several
    keys cannot deadlock."""
    if not keys:
        return
    await connection.execute(
        "SELECT pg_advisory_xact_lock(lock) FROM (SELECT DISTINCT hashtext(key) AS lock "
        "FROM unnest($1::text[]) AS key ORDER BY lock) AS locks",
        keys,
    )
