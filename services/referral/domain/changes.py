"""What an action does to a referral: the fields it sets, the action it records and whether the referral
moved; and what a decision needs to know that only the database holds (who covers a division)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from services.referral.domain.gazetteer import Gazetteer
from services.referral.domain.routing import Routing
from shared.domain.access import Principal
from shared.domain.monitoring import TaskKind
from shared.domain.referrals import ReferralAction, ReferralStatus

SYSTEM_ACTOR = "system:routing"
REPORT_LINKED = "report_linked"  # in the history only; announced as ReportLinked


class PlacementReason(StrEnum):
    """Why a referral is announced as placed with a holder (or in the unrouted queue)."""

    ROUTED = "routed"
    DECLINED = "declined"
    REASSIGNED = "reassigned"
    DISPATCHED = "dispatched"  # by the hotline supervisors, from the unrouted queue
    REOPENED = "reopened"  # the reporter was not satisfied: the county centre reviews it


Detail = dict[str, str | int | None]


@dataclass(frozen=True)
class TaskHanded:
    """A task handed to the child director of a village."""

    task_id: UUID
    kind: TaskKind
    village_code: str


@dataclass(frozen=True)
class TaskDone:
    """The director's own step, which closes the village's open task of that kind."""

    kind: TaskKind
    village_code: str


@dataclass(frozen=True)
class Change:
    """The fields an action sets (by name, as stored), the action recorded with its detail (announced)
    and notes (kept in the history only), why the referral moved, when it did, and the task it hands or closes."""

    fields: dict[str, object]
    action: ReferralAction
    detail: Detail = field(default_factory=dict)
    notes: str | None = None
    moved: PlacementReason | None = None
    task: TaskHanded | TaskDone | None = None


@dataclass(frozen=True)
class RoutingNeeded:
    """A decline or a reassignment: the referral goes to whoever covers `division_code`. The application
    looks that up (the stations are in the database) and `then` says what changes."""

    division_code: str
    then: Callable[[Routing], Change]


@dataclass(frozen=True)
class DirectorNeeded:
    """A task for a village: the application looks up whether the village has an active child director (the
    directory is in the database) and `then` says what changes."""

    village_code: str
    then: Callable[[bool], Change]


@dataclass(frozen=True)
class ActionContext:
    """Who acts, when, and the division gazetteer the action's codes are checked against."""

    caller: Principal
    now: datetime
    gazetteer: Gazetteer

    @property
    def actor(self) -> str:
        return f"{self.caller.role.value}:{self.caller.scope or self.caller.subject}"


@dataclass(frozen=True)
class HistoryEntry:
    referral_id: UUID
    action: str  # a ReferralAction, the status a referral opened in, or REPORT_LINKED
    actor: str
    detail: dict[str, object]


def placed(target: Routing) -> dict[str, object]:
    """The fields of a referral that has moved: a new holder who has not yet acknowledged it."""
    return {
        "status": ReferralStatus.ASSIGNED if target.assignee else ReferralStatus.UNROUTED,
        "assignee_code": target.assignee_code,
        "routing_reason": target.reason,
        "division_code": target.division_code,
        "acknowledged_at": None,
    }
