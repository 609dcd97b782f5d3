"""A referral's stage clocks: a deadline per stage with its timers, started when the referral is first assigned.
A completion or a closing that arrived before the assignment is applied as the clocks start."""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from services.notification.domain.deadlines import DeadlineStatus, Due, Policy, deadline_for
from services.notification.domain.policy import VersionedPolicy
from services.notification.domain.timers import TimerKind, timer_points
from services.notification.domain.workdays import WorkCalendar
from shared.domain.codes import Priority
from shared.domain.referrals import Stage
from shared.events import DeadlineScheduled, ReferralAssigned


@dataclass(frozen=True)
class ClocksSoFar:
    """What is known of a referral when an assignment arrives: the holder its clocks run for (None before
    they start), and the completions and closing that arrived before the clocks started."""

    holder_version: int | None
    completed: dict[Stage, datetime] = field(default_factory=dict)
    closed: bool = False


@dataclass(frozen=True)
class StageClock:
    deadline_id: UUID
    referral_id: UUID
    report_id: UUID
    stage: Stage
    assignee_code: str
    starts_at: datetime

    def scheduled(self, priority: Priority, due: Due) -> DeadlineScheduled:
        return DeadlineScheduled(
            deadline_id=self.deadline_id,
            referral_id=self.referral_id,
            report_id=self.report_id,
            stage=self.stage,
            priority=priority,
            assignee_code=self.assignee_code,
            due_at=due.at,
            provisional=due.provisional,
        )


@dataclass(frozen=True)
class StageDeadline(StageClock):
    """One stage's deadline as its clock starts, with the times its timers fire (none unless it runs)."""

    priority: Priority
    due: Due
    status: DeadlineStatus
    met_at: datetime | None
    assignee_version: int
    policy_version: int | None
    timers: dict[TimerKind, datetime]


@dataclass(frozen=True)
class RunningStage(StageClock):
    """A stage whose clock runs, as a new priority finds it."""

    policy_version: int | None

    def retimed(
        self, priority: Priority, limits: Policy, calendar: WorkCalendar
    ) -> tuple[Due, dict[TimerKind, datetime]]:
        """Its deadline under the new priority, from when its clock started, and when its timers fire."""
        due = deadline_for(self.stage, priority, self.starts_at, limits, calendar)
        return due, timer_points(self.starts_at, due.at, priority)


def start_clocks(
    assigned: ReferralAssigned, so_far: ClocksSoFar, policy: VersionedPolicy, calendar: WorkCalendar
) -> list[StageDeadline]:
    """Every stage's deadline: met if its completion came first, cancelled if the closing did, else running."""
    deadlines = []
    for stage in Stage:
        due = deadline_for(stage, assigned.priority, assigned.assigned_at, policy.limits, calendar)
        completed_at = so_far.completed.get(stage)
        if completed_at:
            status = DeadlineStatus.MET
        else:
            status = DeadlineStatus.CANCELLED if so_far.closed else DeadlineStatus.PENDING
        running = status is DeadlineStatus.PENDING
        deadlines.append(
            StageDeadline(
                deadline_id=uuid4(),
                referral_id=assigned.referral_id,
                report_id=assigned.report_id,
                stage=stage,
                priority=assigned.priority,
                assignee_code=assigned.assignee_code,
                starts_at=assigned.assigned_at,
                due=due,
                status=status,
                met_at=completed_at,
                assignee_version=assigned.version,
                policy_version=policy.version or None,
                timers=timer_points(assigned.assigned_at, due.at, assigned.priority) if running else {},
            )
        )
    return deadlines
