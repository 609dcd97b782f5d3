"""A mandatory reporter looks up their receipt with its number and their phone: the step the report has come
to and its date, or the same "not found" whether the number or the phone was wrong. Lookups are limited per
caller address and per receipt, and each is audited."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from services.intake.adapters import receipt_repository
from services.intake.domain.receipts import ReceiptAnswer, TooManyLookups, phone_matches, receipt_answer
from shared.domain.problems import NotFound
from shared.domain.rate_limits import RateLimit

NOT_FOUND = "回执号或电话号码不正确"


@dataclass(frozen=True)
class ReceiptLookup:
    pool_of: Callable[[], asyncpg.Pool]
    phone_key: bytes
    per_client: RateLimit
    per_receipt: RateLimit

    async def __call__(self, number: str, phone: str, client: str, now: datetime) -> ReceiptAnswer:
        allowed = self.per_client.allow(client, now) and self.per_receipt.allow(number, now)
        async with self.pool_of().acquire() as connection:
            if not allowed:
                await receipt_repository.audit_lookup(connection, client, None, "too_many")
                raise TooManyLookups
            step, report_id = None, await self._report(connection, number, phone)
            if report_id is not None:
                step = await receipt_repository.last_step(connection, report_id)
            await receipt_repository.audit_lookup(connection, client, report_id, "found" if step else "not_found")
        if step is None:
            raise NotFound(NOT_FOUND)
        return receipt_answer(*step)

    async def _report(self, connection: asyncpg.Connection, number: str, phone: str) -> UUID | None:
        found = await receipt_repository.receipt(connection, number)
        if found is None or not phone_matches(found[1], self.phone_key, phone):
            return None
        return found[0]
