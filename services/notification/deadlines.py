"""Response deadlines per stage and priority (defaults of the domain brief). Pure arithmetic.

Hour limits run on the wall clock. A limit of N working days ends at the close of the N-th working day
after the day the clock starts, in China's time zone.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from services.notification.workdays import LIBRARY_ONLY, WorkCalendar
from shared.domain.codes import Priority
from shared.timezones import CHINA


class Stage(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    FIRST_CONTACT = "first_contact"
    HOME_VISIT = "home_visit"
    ASSESSMENT = "assessment"


@dataclass(frozen=True)
class Limit:
    hours: float = 0
    working_days: int = 0


DEFAULT_POLICY: dict[Stage, dict[Priority, Limit]] = {
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
}


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
    policy: dict[Stage, dict[Priority, Limit]] = DEFAULT_POLICY,
    calendar: WorkCalendar = LIBRARY_ONLY,
) -> Due:
    return due_at(start, policy[stage][priority], calendar)


class TimerKind(StrEnum):
    REMINDER = "reminder"
    BREACH = "breach"
    SUPERVISION = "supervision"


REMINDER_AT = 0.75  # of the stage's time
SUPERVISION_AFTER = 0.5  # of the stage's time, past the deadline


def timer_points(start: datetime, due: datetime, priority: Priority) -> dict[TimerKind, datetime]:
    """When the station is reminded, when the deadline is breached, and when the committee is told.
    A P1 breach goes to the committee at once."""
    span = due - start
    return {
        TimerKind.REMINDER: start + span * REMINDER_AT,
        TimerKind.BREACH: due,
        TimerKind.SUPERVISION: due if priority is Priority.P1 else due + span * SUPERVISION_AFTER,
    }


WHO_IS_TOLD = {
    TimerKind.REMINDER: ["station"],
    TimerKind.BREACH: ["county_centre"],
    TimerKind.SUPERVISION: ["committee"],
}


# Which stages a station's action completes.
COMPLETES = {
    "acknowledged": (Stage.ACKNOWLEDGE,),
    "contact_recorded": (Stage.FIRST_CONTACT,),
    "home_visit_recorded": (Stage.HOME_VISIT, Stage.FIRST_CONTACT),
    "assessment_recorded": (Stage.ASSESSMENT,),
}
