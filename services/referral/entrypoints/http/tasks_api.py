"""A village child director's tasks: the open ones handed to its village, newest first, each with its case card.
The referral itself is read at /v1/referrals/{referral_id} while its task is open."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, computed_field

from services.referral.application.village_tasks import TaskHeld
from services.referral.deps import Director, VillageTasksDep
from shared.domain.codes import Concern
from shared.domain.monitoring import TaskKind
from shared.http_errors import error_answers

router = APIRouter(prefix="/v1", tags=["village tasks"], responses=error_answers(401, 403, 503))


class TaskView(BaseModel):
    task_id: UUID
    kind: TaskKind
    handed_at: datetime
    referral_id: UUID
    case_number: str | None
    child_name_masked: str | None
    village_name: str | None
    concerns: list[Concern]
    priority: str
    received_at: datetime

    @computed_field
    @property
    def concern_labels(self) -> list[str]:
        return [concern.label for concern in self.concerns]

    @classmethod
    def of(cls, task: TaskHeld) -> "TaskView":
        card = {name: getattr(task.referral, name) for name in cls.model_fields if hasattr(task.referral, name)}
        return cls(**card | {"task_id": task.task_id, "kind": task.kind, "handed_at": task.handed_at})


@router.get("/tasks", response_model=list[TaskView])
async def open_tasks(tasks: VillageTasksDep, director: Director) -> list[TaskView]:
    return [TaskView.of(task) for task in await tasks.open_for(director)]
