"""PostgreSQL keeping of actions sent with an Idempotency-Key, in the action's transaction."""

import json

import asyncpg

from services.referral.adapters.referral_rows import decoded
from services.referral.domain.idempotency import Answer, KeyedRequest


class PostgresAnswers:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def claim(self, request: KeyedRequest) -> tuple[str, Answer | None] | None:
        # A transaction holding the same key makes this insert wait, then find the key taken once it commits.
        taken = await self.connection.fetchval(
            "INSERT INTO idempotency_keys (caller, key, request_hash) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING RETURNING true",
            request.caller,
            request.key,
            request.fingerprint,
        )
        if taken:
            return None
        row = await self.connection.fetchrow(
            "SELECT request_hash, status, body FROM idempotency_keys WHERE caller = $1 AND key = $2",
            request.caller,
            request.key,
        )
        answer = Answer(row["status"], decoded(row["body"])) if row["status"] is not None else None
        return row["request_hash"], answer

    async def keep(self, request: KeyedRequest, answer: Answer) -> None:
        await self.connection.execute(
            "UPDATE idempotency_keys SET status = $3, body = $4 WHERE caller = $1 AND key = $2",
            request.caller,
            request.key,
            answer.status,
            json.dumps(answer.body, ensure_ascii=False),
        )
