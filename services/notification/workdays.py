"""Working days of the official Chinese calendar (holidays and adjusted working weekends).

`chinese_calendar` knows only the years up to its release; for a later year Monday to Friday counts
and the answer is marked provisional rather than failing.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar


@dataclass(frozen=True)
class WorkdayAnswer:
    is_workday: bool
    provisional: bool


def is_workday(day: date) -> WorkdayAnswer:
    try:
        return WorkdayAnswer(chinese_calendar.is_workday(day), provisional=False)
    except NotImplementedError:
        return WorkdayAnswer(day.weekday() < 5, provisional=True)


def nth_workday_after(start: date, count: int) -> tuple[date, bool]:
    """The count-th working day after `start`, and whether any day on the way was provisional."""
    day, found, provisional = start, 0, False
    while found < count:
        day += timedelta(days=1)
        answer = is_workday(day)
        provisional = provisional or answer.provisional
        found += answer.is_workday
    return day, provisional
