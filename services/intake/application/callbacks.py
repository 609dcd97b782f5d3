"""The hotline's callbacks (回访): one recorded with its timeline entry, its audit entry and its CallbackRecorded
outbox row in one transaction (referral reopens the case of a dissatisfied reporter, notification stops the
callback clock); and the calls still to make, every list audited."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from services.intake.adapters import callback_repository, case_repository
from services.intake.domain.callbacks import Callback, CallbackTask, announcement, checked, timeline_entry
from shared.audit import audit
from shared.domain.access import Principal
from shared.domain.problems import NotFound
from shared.outbox import enqueue


@dataclass(frozen=True)
class Callbacks:
    pool_of: Callable[[], asyncpg.Pool]

    async def record(self, report_id: UUID, callback: Callback, principal: Principal, now: datetime) -> None:
        async with self.pool_of().acquire() as connection, connection.transaction():
            target = await callback_repository.target(connection, report_id, principal.scope)
            if target is None:
                raise NotFound("报告不存在")
            at = checked(callback, target, now)
            event = announcement(callback, target, at, principal)
            await callback_repository.store(connection, report_id, callback, at, event.recorded_by)
            await case_repository.add_entries(connection, [timeline_entry(event)])
            await audit(connection, principal, "callback", [report_id])
            await enqueue(connection, event, key=str(report_id))

    async def due(self, principal: Principal, now: datetime, limit: int) -> list[CallbackTask]:
        async with self.pool_of().acquire() as connection:
            tasks = await callback_repository.due(connection, now, limit, principal.scope)
            await audit(connection, principal, "list", [UUID(task.report_id) for task in tasks], target="callbacks due")
        return tasks
