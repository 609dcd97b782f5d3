"""Working days of the official Chinese calendar (holidays and adjusted working weekends).

`chinese_calendar` knows only the years up to its release. For a later year an administrator publishes
the State Council's holiday notice into the calendar table; a year neither knows counts Monday to Friday
and every answer from it is marked provisional rather than failing.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from shared.domain.problems import FieldProblem


@dataclass(frozen=True)
class WorkdayAnswer:
    is_workday: bool
    provisional: bool


@dataclass(frozen=True)
class WorkCalendar:
    """The library's calendar, completed by the administrator's years: for each, its days off on
    weekdays and its working weekend days (every other day follows Monday to Friday)."""

    published: dict[int, dict[date, bool]] = field(default_factory=dict)

    def is_workday(self, day: date) -> WorkdayAnswer:
        known = _library_says(day)
        if known is not None:
            return WorkdayAnswer(known, provisional=False)
        exceptions = self.published.get(day.year)
        if exceptions is not None:
            return WorkdayAnswer(exceptions.get(day, day.weekday() < 5), provisional=False)
        return WorkdayAnswer(day.weekday() < 5, provisional=True)

    def covers(self, year: int) -> bool:
        return year in self.published or not self.is_workday(date(year, 1, 1)).provisional

    def nth_workday_after(self, start: date, count: int) -> tuple[date, bool]:
        """The count-th working day after `start`, and whether any day on the way was provisional."""
        day, found, provisional = start, 0, False
        while found < count:
            day += timedelta(days=1)
            answer = self.is_workday(day)
            provisional = provisional or answer.provisional
            found += answer.is_workday
        return day, provisional


LIBRARY_ONLY = WorkCalendar()


@lru_cache(maxsize=4096)
def _library_says(day: date) -> bool | None:
    """Whether the library's calendar makes `day` a working day; None for a year it does not know.
    Cached: every deadline asks about the same few weeks, and an unknown year costs an exception."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def is_workday(day: date) -> WorkdayAnswer:
    return LIBRARY_ONLY.is_workday(day)


def nth_workday_after(start: date, count: int) -> tuple[date, bool]:
    return LIBRARY_ONLY.nth_workday_after(start, count)


def calendar_warning(calendar: WorkCalendar, today: date) -> str | None:
    """From 1 December, a warning while next year's holidays are not known."""
    if today.month == 12 and not calendar.covers(today.year + 1):
        return f"{today.year + 1}年节假日安排尚未录入：工作日截止时间将按周一至周五计算并标为暂定"
    return None


def problems_in_published_year(year: int, days: list[tuple[date, bool]]) -> list[FieldProblem]:
    """What is wrong with an administrator's year: one the library knows needs no entry; each day is of that
    year, given once, and an exception (a weekday off, or a weekend day worked)."""
    if LIBRARY_ONLY.covers(year):
        return [FieldProblem("year", "known_to_library", "该年度节假日已由日历库提供，无需录入")]
    problems, seen = [], set()
    for index, (day, is_workday) in enumerate(days):
        if day.year != year:
            problems.append(FieldProblem(f"days.{index}.day", "other_year", "日期不在该年度内"))
        elif day in seen:
            problems.append(FieldProblem(f"days.{index}.day", "repeated", "日期重复"))
        elif is_workday == (day.weekday() < 5):
            problems.append(
                FieldProblem(f"days.{index}.is_workday", "not_an_exception", "只需录入工作日放假和周末调休上班的日子")
            )
        seen.add(day)
    return problems
