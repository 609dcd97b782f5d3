"""A village child director's open tasks, newest first, each with its case card; the list is left in the audit
trail as every read of cases is."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.referral.adapters.database import ReferralDatabase
from services.referral.domain.referral import Referral
from shared.domain.access import Principal
from shared.domain.monitoring import TaskKind


@dataclass(frozen=True)
class TaskHeld:
    referral: Referral
    task_id: UUID
    kind: TaskKind
    handed_at: datetime


class VillageTasks:
    def __init__(self, database: ReferralDatabase) -> None:
        self.database = database

    async def open_for(self, director: Principal) -> list[TaskHeld]:
        async with self.database.connect() as connection:
            held = [
                TaskHeld(referral, task_id, TaskKind(kind), handed_at)
                for referral, task_id, kind, handed_at in await connection.tasks.open_in(director.scope)
            ]
            ids = [task.referral.referral_id for task in held]
            await connection.audit(director, "list", ids, target=f"village:{director.scope}")
        return held
