"""Response deadlines per stage and priority (defaults of the domain brief), and for the stages of a child under
monitoring per guardianship assessment level: how soon a pairing helper is named and how often the child is
visited depend on the level, not on the report's priority. Pure arithmetic.

Hour and day limits run on the wall clock. A limit of N working days ends at the close of the N-th working day
after the day the clock starts, in China's time zone; a limit of N months on the same day N months on (the
month's last day when it is shorter), at the same time of day.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from services.notification.domain.workdays import LIBRARY_ONLY, WorkCalendar
from shared.domain.codes import Priority
from shared.domain.monitoring import Assessment
from shared.domain.referrals import Stage
from shared.timezones import CHINA


@dataclass(frozen=True)
class Limit:
    hours: float = 0
    working_days: int = 0
    days: int = 0
    months: int = 0


# What a stage's limit depends on: the priority, or for a monitoring stage the assessment level.
Tier = Priority | Assessment
Policy = dict[Stage, dict[Tier, Limit]]

# The stages timed by the assessment level, and the levels that have them.
LEVEL_STAGES: dict[Stage, tuple[Assessment, ...]] = {
    Stage.HELPER: (Assessment.FAIR, Assessment.POOR, Assessment.DANGEROUS),
    Stage.FOLLOW_UP_VISIT: (Assessment.FAIR, Assessment.POOR, Assessment.DANGEROUS),
    Stage.GUARDIANSHIP_DECISION: (Assessment.DANGEROUS,),
}

# The stages a new priority re-times: the callback's limit does not depend on it, nor a monitoring stage's.
PRIORITY_TIMED = tuple(stage for stage in Stage if stage is not Stage.CALLBACK and stage not in LEVEL_STAGES)


def tiers_of(stage: Stage) -> tuple[Tier, ...]:
    """The keys a stage's limits have in a policy."""
    return LEVEL_STAGES.get(stage, tuple(Priority))


DEFAULT_POLICY: Policy = {
    Stage.DISPATCH: {  # an unrouted referral, by the hotline supervisors
        Priority.P1: Limit(hours=0.25),
        Priority.P2: Limit(hours=1),
        Priority.P3: Limit(working_days=1),
    },
    Stage.ACKNOWLEDGE: {
        Priority.P1: Limit(hours=0.5),
        Priority.P2: Limit(hours=4),
        Priority.P3: Limit(working_days=1),
    },
    Stage.FIRST_CONTACT: {
        Priority.P1: Limit(hours=2),
        Priority.P2: Limit(hours=24),
        Priority.P3: Limit(working_days=3),
    },
    Stage.HOME_VISIT: {
        Priority.P1: Limit(hours=24),
        Priority.P2: Limit(hours=72),
        Priority.P3: Limit(working_days=5),
    },
    Stage.ASSESSMENT: {
        Priority.P1: Limit(working_days=10),
        Priority.P2: Limit(working_days=10),
        Priority.P3: Limit(working_days=15),
    },
    Stage.POLICE_NOTICE: {  # a police-required case: at once for P1, the same day otherwise
        Priority.P1: Limit(hours=2),
        Priority.P2: Limit(hours=12),
        Priority.P3: Limit(hours=24),
    },
    Stage.POLICE_FEEDBACK: {  # the police feed back within 3 days of being told, whatever the priority
        Priority.P1: Limit(hours=72),
        Priority.P2: Limit(hours=72),
        Priority.P3: Limit(hours=72),
    },
    Stage.CALLBACK: {  # 回访 by the hotline, from the report
        Priority.P1: Limit(working_days=15),
        Priority.P2: Limit(working_days=15),
        Priority.P3: Limit(working_days=15),
    },
    Stage.HELPER: {  # 结对帮扶人, from the assessment that starts monitoring
        Assessment.FAIR: Limit(working_days=10),
        Assessment.POOR: Limit(working_days=5),
        Assessment.DANGEROUS: Limit(working_days=5),
    },
    Stage.FOLLOW_UP_VISIT: {  # from the assessment, then from each visit
        Assessment.FAIR: Limit(months=1),
        Assessment.POOR: Limit(days=14),
        Assessment.DANGEROUS: Limit(days=14),
    },
    Stage.GUARDIANSHIP_DECISION: {  # the county centre decides on 临时监护 at once
        Assessment.DANGEROUS: Limit(hours=24),
    },
}


class DeadlineStatus(StrEnum):
    PENDING = "pending"  # the stage's clock runs
    PAUSED = "paused"  # the referral waits in the unrouted queue; the clock starts again for its next holder
    MET = "met"  # the stage was done
    CANCELLED = "cancelled"  # the referral closed first


@dataclass(frozen=True)
class Due:
    at: datetime
    provisional: bool


def due_at(start: datetime, limit: Limit, calendar: WorkCalendar = LIBRARY_ONLY) -> Due:
    if limit.hours or limit.days:
        return Due(start + timedelta(hours=limit.hours, days=limit.days), provisional=False)
    if limit.months:
        return Due(months_after(start, limit.months), provisional=False)
    local_start = start.astimezone(CHINA)
    last_day, provisional = calendar.nth_workday_after(local_start.date(), limit.working_days)
    end_of_day = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=CHINA)
    return Due(end_of_day, provisional)


def months_after(start: datetime, months: int) -> datetime:
    local = start.astimezone(CHINA)
    year, month = divmod(local.month - 1 + months, 12)
    year, month = local.year + year, month + 1
    last_day = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return local.replace(year=year, month=month, day=min(local.day, last_day))


def deadline_for(
    stage: Stage,
    tier: Tier,
    start: datetime,
    policy: Policy = DEFAULT_POLICY,
    calendar: WorkCalendar = LIBRARY_ONLY,
) -> Due:
    """A stage's deadline from its start: `tier` is the priority, or the level for a stage LEVEL_STAGES lists."""
    return due_at(start, policy[stage][tier], calendar)
