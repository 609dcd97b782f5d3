"""Tasks a station hands to the child director of a village in its township (a contact, a home visit, a follow-up
visit), and the director's own steps: each completes the stage as the station's would, and closes its task. Pure
rules; called by Referral's methods."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING
from uuid import uuid4

from services.referral.domain.changes import ActionContext, Change, Detail, DirectorNeeded, TaskDone, TaskHanded
from services.referral.domain.lifecycle import Takers, check
from shared.domain.access import VILLAGE_LENGTH, Principal, Role
from shared.domain.divisions import township_of
from shared.domain.monitoring import TaskKind
from shared.domain.problems import Conflict, Forbidden, invalid
from shared.domain.referrals import ReferralAction, ReferralStatus

if TYPE_CHECKING:
    from services.referral.domain.referral import Referral

# The status a task of each kind may be handed in (the status the station's own step needs).
HANDED_IN = {
    TaskKind.CONTACT: ReferralStatus.ACKNOWLEDGED,
    TaskKind.HOME_VISIT: ReferralStatus.ACKNOWLEDGED,
    TaskKind.FOLLOW_UP_VISIT: ReferralStatus.MONITORING,
}


def handed(
    referral: Referral, context: ActionContext, kind: TaskKind, village_code: str | None, notes: str | None
) -> DirectorNeeded:
    """To the village given, else the child's own; it must lie in the station's township, have an active director
    (the application looks that up) and have no open task of the kind."""
    check(context.caller, referral, Takers.HOLDING_STATION, {HANDED_IN[kind]})
    village = village_code or _childs_village(referral)
    if village is None or len(village) != VILLAGE_LENGTH or township_of(village) != referral.assignee_code:
        raise invalid("village_code", "village_outside_township", "须为本乡镇（街道）的村（社区）")
    if any(open_kind is kind for open_kind, _ in referral.open_tasks):
        raise Conflict("这项任务已交办，尚未完成")

    def then(has_director: bool) -> Change:
        if not has_director:
            raise invalid("village_code", "no_director", "该村（社区）没有在岗的儿童主任")
        task = TaskHanded(uuid4(), kind, village)
        detail: Detail = {"task_id": str(task.task_id), "kind": kind.value, "village_code": village}
        return Change({}, ReferralAction.TASK_HANDED, detail, notes, task=task)

    return DirectorNeeded(village, then)


def step_taken(
    caller: Principal, referral: Referral, kind: TaskKind, allowed_in: Collection[ReferralStatus]
) -> TaskDone | None:
    """Checks a step the holder takes, or the director of a village with an open task of its kind; the
    director's step closes that task."""
    check(caller, referral, Takers.HOLDER_OR_TASKED_VILLAGE, allowed_in)
    if caller.role is not Role.VILLAGE:
        return None
    if (kind, caller.scope) not in referral.open_tasks:
        raise Forbidden("没有交办给本村（社区）的这项任务")
    return TaskDone(kind, caller.scope)


def _childs_village(referral: Referral) -> str | None:
    code = referral.child_division_code
    return code if code and len(code) == VILLAGE_LENGTH else None
