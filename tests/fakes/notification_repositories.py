"""The notification clocks' storage in memory, on the ports of services.notification.application.clock_ports:
the rows PostgreSQL would hold, kept in dicts, so the clocks use case runs in microseconds."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from services.notification.domain.deadlines import DEFAULT_POLICY, PRIORITY_TIMED, DeadlineStatus, Due, Policy
from services.notification.domain.notices import HOTLINE_CODE
from services.notification.domain.stage_clocks import ClocksSoFar, KnownDeadline, RunningStage, StageDeadline
from services.notification.domain.timers import HOTLINE_STAGES, TimerKind
from shared.domain.codes import Priority
from shared.domain.monitoring import Assessment
from shared.domain.referrals import Stage
from shared.events import Event

STAYING = (*HOTLINE_STAGES, Stage.GUARDIANSHIP_DECISION)  # clocks that do not move with the referral


@dataclass
class InMemoryInbox:
    seen: set[UUID] = field(default_factory=set)

    async def claim(self, events: list) -> list:
        fresh = []
        for event in events:
            if event.event_id not in self.seen:
                self.seen.add(event.event_id)
                fresh.append(event)
        return fresh


@dataclass
class InMemoryOutbox:
    events: list[tuple[Event, str]] = field(default_factory=list)

    async def enqueue(self, events: list[tuple[Event, str]]) -> None:
        self.events += events


@dataclass
class InMemoryClocks:
    deadlines: dict[UUID, StageDeadline] = field(default_factory=dict)
    timers: dict[tuple[UUID, TimerKind], datetime] = field(default_factory=dict)  # the pending ones
    completions: dict[UUID, dict[Stage, datetime]] = field(default_factory=dict)
    closings: dict[UUID, datetime] = field(default_factory=dict)
    priority_versions: dict[UUID, int] = field(default_factory=dict)
    held: list[UUID] = field(default_factory=list)

    def of(self, referral_id: UUID) -> dict[Stage, StageDeadline]:
        """The referral's deadline per stage; of a repeating stage, the running one (else the latest)."""
        mine = [d for d in self.deadlines.values() if d.referral_id == referral_id]
        running = (DeadlineStatus.PENDING, DeadlineStatus.PAUSED)
        return {d.stage: d for d in sorted(mine, key=lambda d: d.status in running)}

    def all_of(self, referral_id: UUID, stage: Stage) -> list[StageDeadline]:
        return [d for d in self.deadlines.values() if d.referral_id == referral_id and d.stage is stage]

    async def hold(self, referral_ids: list[UUID]) -> None:
        self.held += referral_ids

    async def so_far(self, referral_ids: list[UUID]) -> dict[UUID, ClocksSoFar]:
        return {referral_id: self._so_far(referral_id) for referral_id in set(referral_ids)}

    def _so_far(self, referral_id: UUID) -> ClocksSoFar:
        deadlines = self.of(referral_id)
        versions = [deadline.assignee_version for deadline in deadlines.values()]
        completed = dict(self.completions.get(referral_id, {}))
        known = {stage: KnownDeadline(d.deadline_id, d.status, d.level) for stage, d in deadlines.items()}
        return ClocksSoFar(max(versions, default=None), completed, referral_id in self.closings, known)

    async def start(self, deadlines: list[StageDeadline]) -> None:
        for deadline in deadlines:
            self.deadlines[deadline.deadline_id] = deadline
            self.priority_versions[deadline.deadline_id] = deadline.assignee_version
            for kind, fire_at in deadline.timers.items():
                self.timers[(deadline.deadline_id, kind)] = fire_at

    async def pause(self, referral_id: UUID, version: int, area_code: str | None) -> None:
        for deadline in self._pending(referral_id):
            if deadline.stage not in STAYING:
                paused = replace(deadline, status=DeadlineStatus.PAUSED, assignee_code=HOTLINE_CODE)
                self.deadlines[deadline.deadline_id] = replace(paused, assignee_version=version, area_code=area_code)
                self._stop_timers(deadline.deadline_id)

    async def dispatched(self, referral_id: UUID, at: datetime) -> None:
        self._finish(referral_id, [Stage.DISPATCH], DeadlineStatus.MET, at)

    async def move(self, referral_id: UUID, assignee_code: str, version: int) -> None:
        for deadline in self._pending(referral_id):
            if deadline.stage not in STAYING:
                self.deadlines[deadline.deadline_id] = replace(
                    deadline, assignee_code=assignee_code, assignee_version=version
                )

    async def complete(self, referral_id: UUID, stages: list[Stage], at: datetime) -> None:
        for stage in stages:
            self.completions.setdefault(referral_id, {}).setdefault(stage, at)
        self._finish(referral_id, stages, DeadlineStatus.MET, at)

    async def cancel(self, referral_id: UUID, stages: list[Stage], at: datetime) -> None:
        self._finish(referral_id, stages, DeadlineStatus.CANCELLED, at)

    async def close(self, referral_id: UUID, at: datetime) -> None:
        self.closings.setdefault(referral_id, at)
        self._finish(
            referral_id, [stage for stage in Stage if stage is not Stage.CALLBACK], DeadlineStatus.CANCELLED, at
        )

    def _finish(self, referral_id: UUID, stages: list[Stage] | None, status: DeadlineStatus, at: datetime) -> None:
        for deadline in self._pending(referral_id, DeadlineStatus.PAUSED):
            if stages is None or deadline.stage in stages:
                met_at = at if status is DeadlineStatus.MET else None
                self.deadlines[deadline.deadline_id] = replace(deadline, status=status, met_at=met_at)
                self._stop_timers(deadline.deadline_id)

    def _stop_timers(self, deadline_id: UUID) -> None:
        self.timers = {key: when for key, when in self.timers.items() if key[0] != deadline_id}

    def _pending(self, referral_id: UUID, *also: DeadlineStatus) -> list[StageDeadline]:
        statuses = (DeadlineStatus.PENDING, *also)
        return [d for d in self.of(referral_id).values() if d.status in statuses]

    async def running(
        self, referral_id: UUID, older_than: int, stages: tuple[Stage, ...] = PRIORITY_TIMED
    ) -> list[RunningStage]:
        return [
            RunningStage(
                d.deadline_id, d.referral_id, d.report_id, d.stage, d.assignee_code, d.starts_at, d.policy_version
            )
            for d in self._pending(referral_id)
            if self.priority_versions[d.deadline_id] < older_than and d.stage in stages
        ]

    async def retime(
        self,
        deadline_id: UUID,
        priority: Priority,
        due: Due,
        version: int,
        timers: dict[TimerKind, datetime],
        level: Assessment | None = None,
    ) -> None:
        deadline = self.deadlines[deadline_id]
        self.deadlines[deadline_id] = replace(deadline, priority=priority, due=due, level=level or deadline.level)
        self.priority_versions[deadline_id] = version
        for kind, fire_at in timers.items():
            if (deadline_id, kind) in self.timers:
                self.timers[(deadline_id, kind)] = fire_at


@dataclass
class InMemoryPolicies:
    versions: dict[int, Policy] = field(default_factory=dict)

    async def limits_of_version(self, version: int | None) -> Policy:
        return DEFAULT_POLICY if version is None else self.versions[version]


@dataclass
class InMemoryNames:
    names: dict[str, str] = field(default_factory=dict)

    async def name_of(self, code: str) -> str | None:
        return self.names.get(code)


@dataclass
class InMemoryClockTransaction:
    inbox: InMemoryInbox = field(default_factory=InMemoryInbox)
    outbox: InMemoryOutbox = field(default_factory=InMemoryOutbox)
    clocks: InMemoryClocks = field(default_factory=InMemoryClocks)
    policies: InMemoryPolicies = field(default_factory=InMemoryPolicies)
    names: InMemoryNames = field(default_factory=InMemoryNames)
