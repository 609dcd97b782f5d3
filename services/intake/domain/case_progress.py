"""How far the case of a report has come, as the hotline sees it: its status, priority, case number and
outcome, and the entries of its timeline, each taken from the event that announced it. Pure: no I/O.

A case is a referral: every report linked to it follows it. A change counts only when it carries a later
version of the referral than the one already seen, so a late or replayed event never moves a case back.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from shared.domain.codes import Milestone, Priority
from shared.domain.monitoring import MonitoringStep
from shared.domain.outcomes import Outcome
from shared.domain.referrals import ReferralAction, ReferralStatus
from shared.events import ReferralActionRecorded, ReferralAssigned, ReferralUnrouted, ReportLinked


class CaseStatus(StrEnum):
    RECEIVED = "received"
    ROUTED = "routed"
    UNROUTED = "unrouted"
    LINKED = "linked"
    ACKNOWLEDGED = "acknowledged"
    CONTACTED = "contacted"
    VISITED = "visited"
    ASSESSED = "assessed"
    POLICE_NOTIFIED = "police_notified"
    POLICE_FEEDBACK = "police_feedback"
    CLOSED = "closed"
    REOPENED = "reopened"
    MONITORING = "monitoring"  # 监护监测中: assessed 一般, 较差 or 危险


# Where the case is placed, rather than what was done on it: a linked report says "linked" instead.
PLACED = frozenset({CaseStatus.RECEIVED, CaseStatus.ROUTED, CaseStatus.UNROUTED})

STATUS_AFTER: dict[ReferralAction, CaseStatus] = {
    ReferralAction.ACKNOWLEDGED: CaseStatus.ACKNOWLEDGED,
    ReferralAction.CONTACT_RECORDED: CaseStatus.CONTACTED,
    ReferralAction.HOME_VISIT_RECORDED: CaseStatus.VISITED,
    ReferralAction.ASSESSMENT_RECORDED: CaseStatus.ASSESSED,
    ReferralAction.POLICE_NOTIFIED: CaseStatus.POLICE_NOTIFIED,
    ReferralAction.POLICE_FEEDBACK_RECORDED: CaseStatus.POLICE_FEEDBACK,
    ReferralAction.CLOSED: CaseStatus.CLOSED,
    ReferralAction.REOPENED: CaseStatus.REOPENED,
}

# The steps the 12345 platform and a mandatory reporter's receipt are told of.
MILESTONE_AFTER: dict[ReferralAction, Milestone] = {
    ReferralAction.ACKNOWLEDGED: Milestone.ACKNOWLEDGED,
    ReferralAction.CLOSED: Milestone.CLOSED,
    ReferralAction.REOPENED: Milestone.REOPENED,
}

# Who took a step, when the holder's name is not known: never a person.
ROLE_WORDS = {
    "station": "工作站",
    "county_centre": "县级救助保护中心",
    "committee": "未成年人保护工作协调机制",
    "operator": "12345热线",
    "admin": "系统管理员",
    "village": "村（居）儿童主任",
    "system": "系统",
}


class TimelineWhat(StrEnum):
    """What a timeline entry says happened: a referral action, or one of these."""

    ROUTED = "routed"
    UNROUTED = "unrouted"
    LINKED = "linked"
    CALLBACK = "callback"


@dataclass(frozen=True)
class CaseChange:
    """What an event says of the case (the referral): applied when its version is later than the case's."""

    referral_id: UUID
    report_id: UUID
    version: int
    case_number: str | None
    status: CaseStatus | None  # None: the status stays (a priority change, a copy sent)
    priority: Priority
    assignee_code: str | None
    assignee_name: str | None
    outcome: Outcome | None
    at: datetime
    milestone: Milestone | None = None
    rank: int = 0  # of one version, an action (1) says more than the placement announced with it (0)


@dataclass(frozen=True)
class TimelineEntry:
    event_id: UUID
    referral_id: UUID | None
    report_id: UUID | None  # set for an entry of one report only (linked, callback)
    at: datetime
    what: str  # a ReferralAction or a TimelineWhat
    who: str | None  # the station or centre by name, or the kind of body: never a person
    detail: str | None  # words: the outcome's label, the new priority, the satisfaction
    who_code: str | None = None  # the unit whose name is not known yet: filled in by its placement


def placed_change(event: ReferralAssigned | ReferralUnrouted) -> CaseChange:
    assigned = isinstance(event, ReferralAssigned)
    return CaseChange(
        referral_id=event.referral_id,
        report_id=event.report_id,
        version=event.version,
        case_number=event.case_number,
        status=CaseStatus.ROUTED if assigned else CaseStatus.UNROUTED,
        priority=event.priority,
        assignee_code=event.assignee_code if assigned else None,
        assignee_name=event.assignee_name if assigned else None,
        outcome=None,
        at=event.assigned_at if assigned else event.occurred_at,
    )


def action_change(event: ReferralActionRecorded) -> CaseChange:
    status = STATUS_AFTER.get(event.action)
    if status is None and event.status in (ReferralStatus.ASSIGNED, ReferralStatus.UNROUTED):
        status = CaseStatus.ROUTED if event.status is ReferralStatus.ASSIGNED else CaseStatus.UNROUTED
    elif event.status is ReferralStatus.MONITORING:
        status = CaseStatus.MONITORING  # whatever the step, while it lasts
    elif status is None and event.detail.get("monitoring") == MonitoringStep.ENDED:
        status = CaseStatus.ASSESSED
    return CaseChange(
        referral_id=event.referral_id,
        report_id=event.report_id,
        version=event.version,
        case_number=event.case_number,
        status=status,
        priority=event.priority,
        assignee_code=event.assignee_code,
        assignee_name=None,  # known from ReferralAssigned
        outcome=outcome_of(event) if status is CaseStatus.CLOSED else None,
        at=event.at,
        milestone=MILESTONE_AFTER.get(event.action),
        rank=1,
    )


def outcome_of(event: ReferralActionRecorded) -> Outcome | None:
    value = event.detail.get("outcome")
    return Outcome(value) if value in Outcome.__members__.values() else None


def action_entry(event: ReferralActionRecorded, holder_code: str | None, holder_name: str | None) -> TimelineEntry:
    outcome = outcome_of(event)
    detail = outcome.label if outcome else event.detail.get("to")
    by = who(event.actor, holder_code, holder_name)
    pending = unit_of(event.actor) if by == ROLE_WORDS["station"] else None
    return TimelineEntry(
        event.event_id, event.referral_id, None, event.at, event.action.value, by, _text(detail), pending
    )


def placed_entry(event: ReferralAssigned | ReferralUnrouted) -> TimelineEntry:
    if isinstance(event, ReferralAssigned):
        what, by, at = TimelineWhat.ROUTED, event.assignee_name, event.assigned_at
    else:
        what, by, at = TimelineWhat.UNROUTED, ROLE_WORDS["operator"], event.occurred_at
    return TimelineEntry(event.event_id, event.referral_id, None, at, what.value, by, None)


def linked_entry(event: ReportLinked) -> TimelineEntry:
    what, by = TimelineWhat.LINKED.value, event.assignee_name
    return TimelineEntry(event.event_id, event.referral_id, event.report_id, event.occurred_at, what, by, None)


def shown_status(case_status: CaseStatus | None, routing_state: str) -> CaseStatus:
    """A report's status: its case's once the case is under way, else where the report itself went."""
    if case_status is None or case_status in PLACED:
        return CaseStatus(routing_state)
    return case_status


def who(actor: str | None, holder_code: str | None, holder_name: str | None) -> str | None:
    """The name of who took a step: the holding station or centre by name, else the kind of body."""
    if not actor:
        return None
    role, _, scope = actor.partition(":")
    if holder_name and scope and scope == holder_code:
        return holder_name
    return ROLE_WORDS.get(role)


def unit_of(actor: str) -> str | None:
    """The unit code of an actor "role:scope", if it names one."""
    return actor.partition(":")[2] or None


def _text(value: object) -> str | None:
    return None if value is None else str(value)
