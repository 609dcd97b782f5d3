"""Response deadlines per stage and priority (defaults of the domain brief). Pure arithmetic.

Hour limits run on the wall clock. A limit of N working days ends at the close of the N-th working day
after the day the clock starts, in China's time zone.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from services.notification.domain.workdays import LIBRARY_ONLY, WorkCalendar
from shared.domain.codes import Priority
from shared.domain.referrals import Stage
from shared.timezones import CHINA


@dataclass(frozen=True)
class Limit:
    hours: float = 0
    working_days: int = 0


Policy = dict[Stage, dict[Priority, Limit]]

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
    if limit.hours:
        return Due(start + timedelta(hours=limit.hours), provisional=False)
    local_start = start.astimezone(CHINA)
    last_day, provisional = calendar.nth_workday_after(local_start.date(), limit.working_days)
    end_of_day = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=CHINA)
    return Due(end_of_day, provisional)


def deadline_for(
    stage: Stage,
    priority: Priority,
    start: datetime,
    policy: Policy = DEFAULT_POLICY,
    calendar: WorkCalendar = LIBRARY_ONLY,
) -> Due:
    return due_at(start, policy[stage][priority], calendar)
