"""A referral's stage clocks: a deadline per stage with its timers, started when the referral is first assigned.
A completion or a closing that arrived before the assignment is applied as the clocks start. Clocks paused
while the referral waited in the unrouted queue start again, under the same ids, for its next holder."""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from services.notification.domain.deadlines import LEVEL_STAGES, DeadlineStatus, Due, Policy, deadline_for
from services.notification.domain.policy import VersionedPolicy
from services.notification.domain.timers import TimerKind, timer_points
from services.notification.domain.workdays import WorkCalendar
from shared.domain.codes import Priority
from shared.domain.monitoring import Assessment
from shared.domain.referrals import HOLDER_STAGES, Stage
from shared.events import DeadlineScheduled, ReferralAssigned


@dataclass(frozen=True)
class KnownDeadline:
    deadline_id: UUID
    status: DeadlineStatus
    level: Assessment | None = None  # the assessment level a monitoring stage's clock is timed by


@dataclass(frozen=True)
class ClocksSoFar:
    """What is known of a referral when a placement arrives: the version of the placement its clocks follow
    (None before any), the completions and closing that arrived before the clocks started, and the
    deadlines it has."""

    holder_version: int | None
    completed: dict[Stage, datetime] = field(default_factory=dict)
    closed: bool = False
    deadlines: dict[Stage, KnownDeadline] = field(default_factory=dict)

    def follows(self, version: int) -> bool:
        """Whether a placement of this version is newer than the one the clocks follow (a late one is not)."""
        return self.holder_version is None or self.holder_version < version

    @property
    def started(self) -> bool:
        """Whether the holder's stage clocks exist (an unrouted referral has only its dispatch clock)."""
        return any(stage in self.deadlines for stage in HOLDER_STAGES)

    @property
    def paused(self) -> tuple[Stage, ...]:
        """The paused clocks that start again for the next holder; a monitoring one ends with the monitoring."""
        return tuple(
            stage
            for stage, known in self.deadlines.items()
            if known.status is DeadlineStatus.PAUSED and stage not in LEVEL_STAGES
        )

    def deadline_id(self, stage: Stage) -> UUID:
        """The id a stage's deadline has, or a new one: a clock started again stays the same deadline."""
        known = self.deadlines.get(stage)
        return known.deadline_id if known else uuid4()


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
    area_code: str | None = None  # where the child is, for a clock the hotline holds
    case_number: str | None = None
    level: Assessment | None = None  # the assessment level a monitoring stage's clock is timed by


@dataclass(frozen=True)
class RunningStage(StageClock):
    """A stage whose clock runs, as a new priority finds it."""

    policy_version: int | None

    def retimed(
        self, priority: Priority, limits: Policy, calendar: WorkCalendar, level: Assessment | None = None
    ) -> tuple[Due, dict[TimerKind, datetime]]:
        """Its deadline under the new priority (or the level, for a monitoring stage), from when its clock
        started, and when its timers fire."""
        due = deadline_for(self.stage, level or priority, self.starts_at, limits, calendar)
        return due, timer_points(self.starts_at, due.at, priority)


def start_clocks(
    assigned: ReferralAssigned,
    so_far: ClocksSoFar,
    policy: VersionedPolicy,
    calendar: WorkCalendar,
    stages: tuple[Stage, ...] = HOLDER_STAGES,
) -> list[StageDeadline]:
    """Each stage's deadline for the holder, from its assignment: met if its completion came first, cancelled
    if the closing did, else running. The police's stages run only for a police-required case: the notice
    from the assignment, the feedback from when the police were told."""
    deadlines = []
    for stage in stages:
        starts_at = _clock_start(stage, assigned, so_far)
        if starts_at is None:
            continue
        due = deadline_for(stage, assigned.priority, starts_at, policy.limits, calendar)
        completed_at = so_far.completed.get(stage)
        if completed_at:
            status = DeadlineStatus.MET
        else:
            status = DeadlineStatus.CANCELLED if so_far.closed else DeadlineStatus.PENDING
        running = status is DeadlineStatus.PENDING
        deadlines.append(
            StageDeadline(
                deadline_id=so_far.deadline_id(stage),
                referral_id=assigned.referral_id,
                report_id=assigned.report_id,
                stage=stage,
                priority=assigned.priority,
                assignee_code=assigned.assignee_code,
                starts_at=starts_at,
                due=due,
                status=status,
                met_at=completed_at,
                assignee_version=assigned.version,
                policy_version=policy.version or None,
                timers=timer_points(starts_at, due.at, assigned.priority) if running else {},
                case_number=assigned.case_number,
            )
        )
    return deadlines


def _clock_start(stage: Stage, assigned: ReferralAssigned, so_far: ClocksSoFar) -> datetime | None:
    """When this stage's clock starts for the holder, or None when it has none."""
    known = stage in so_far.deadlines  # a paused clock starts again
    if stage is Stage.POLICE_NOTICE and not (assigned.police_required or known):
        return None
    if stage is Stage.POLICE_FEEDBACK:
        told = so_far.completed.get(Stage.POLICE_NOTICE)
        if told is None:
            return None
        return max(told, assigned.assigned_at) if known else told
    return assigned.assigned_at
