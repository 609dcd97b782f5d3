from datetime import UTC, date, datetime, timedelta

import pytest

from services.notification.domain.deadlines import Limit, deadline_for, due_at
from services.notification.domain.timers import TimerKind, timer_points
from services.notification.domain.workdays import (
    LIBRARY_ONLY,
    WorkCalendar,
    WorkdayAnswer,
    calendar_warning,
    is_workday,
    nth_workday_after,
)
from shared.domain.codes import Priority
from shared.domain.referrals import Stage
from shared.timezones import CHINA


def china(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHINA)


@pytest.mark.parametrize(("priority", "hours"), [(Priority.P1, 0.5), (Priority.P2, 4)])
def test_hour_deadlines_run_on_the_wall_clock_day_and_night(priority, hours):
    start = datetime(2026, 10, 3, 22, 15, tzinfo=UTC)  # a Saturday night inside the National Day holiday
    due = deadline_for(Stage.ACKNOWLEDGE, priority, start)
    assert due.at == start + timedelta(hours=hours)
    assert not due.provisional


def test_one_working_day_ends_at_the_close_of_the_next_working_day():
    due = deadline_for(Stage.ACKNOWLEDGE, Priority.P3, china(2026, 11, 23, 15, 0))  # Monday
    assert due.at == china(2026, 11, 25, 0, 0)  # end of Tuesday
    assert not due.provisional


def test_a_friday_report_is_due_at_the_end_of_monday():
    due = deadline_for(Stage.ACKNOWLEDGE, Priority.P3, china(2026, 11, 20, 16, 0))
    assert due.at == china(2026, 11, 24, 0, 0)


def test_public_holidays_do_not_count():
    # National Day 2026: 1 to 7 October off, Thursday 8 October the next working day.
    due = deadline_for(Stage.ACKNOWLEDGE, Priority.P3, china(2026, 9, 30, 10, 0))
    assert due.at == china(2026, 10, 9, 0, 0)


def test_an_adjusted_working_weekend_counts():
    saturday = date(2026, 10, 10)  # worked in exchange for the National Day holiday
    assert saturday.weekday() == 5
    assert is_workday(saturday) == WorkdayAnswer(is_workday=True, provisional=False)
    assert nth_workday_after(date(2026, 10, 9), 1) == (saturday, False)


def test_an_ordinary_sunday_does_not_count():
    assert nth_workday_after(date(2026, 10, 10), 1) == (date(2026, 10, 12), False)


def test_a_year_the_calendar_does_not_know_falls_back_to_weekdays_and_is_provisional():
    due = due_at(china(2027, 3, 5, 9, 0), Limit(working_days=1))  # a Friday in 2027
    assert due.at == china(2027, 3, 9, 0, 0)  # end of Monday
    assert due.provisional


def test_a_stretch_that_reaches_into_an_unknown_year_is_provisional():
    due = due_at(china(2026, 12, 28, 9, 0), Limit(working_days=5))
    assert due.provisional
    assert due.at.astimezone(CHINA).year == 2027


def test_the_timers_of_a_stage_sit_at_75_percent_the_deadline_and_half_a_stage_later():
    start = datetime(2026, 5, 11, 9, 0, tzinfo=CHINA)
    due = start + timedelta(hours=4)
    assert timer_points(start, due, Priority.P2) == {
        TimerKind.REMINDER: start + timedelta(hours=3),
        TimerKind.BREACH: due,
        TimerKind.SUPERVISION: due + timedelta(hours=2),
    }


def test_a_p1_breach_brings_the_supervision_notice_at_once():
    start = datetime(2026, 5, 11, 9, 0, tzinfo=CHINA)
    due = start + timedelta(minutes=30)
    assert timer_points(start, due, Priority.P1)[TimerKind.SUPERVISION] == due


# A year the library does not know, completed by an administrator. Test data, not the real 2027 notice.
PUBLISHED_2027 = WorkCalendar({2027: {date(2027, 3, 5): False, date(2027, 3, 6): True}})


def test_an_administrators_year_counts_its_days_off_and_working_weekends():
    assert PUBLISHED_2027.is_workday(date(2027, 3, 5)) == WorkdayAnswer(is_workday=False, provisional=False)
    assert PUBLISHED_2027.is_workday(date(2027, 3, 6)) == WorkdayAnswer(is_workday=True, provisional=False)
    assert PUBLISHED_2027.is_workday(date(2027, 3, 8)) == WorkdayAnswer(is_workday=True, provisional=False)
    due = due_at(china(2027, 3, 4, 9, 0), Limit(working_days=1), PUBLISHED_2027)  # Thursday; Friday is off
    assert (due.at, due.provisional) == (china(2027, 3, 7, 0, 0), False)  # Saturday worked: ends at its close


def test_a_year_nobody_knows_counts_monday_to_friday_marked_provisional():
    assert PUBLISHED_2027.is_workday(date(2028, 3, 6)) == WorkdayAnswer(is_workday=True, provisional=True)


def test_from_december_health_warns_while_next_year_is_unknown():
    assert calendar_warning(LIBRARY_ONLY, date(2026, 11, 30)) is None
    assert "2027" in calendar_warning(LIBRARY_ONLY, date(2026, 12, 1))
    assert calendar_warning(PUBLISHED_2027, date(2026, 12, 1)) is None
    assert calendar_warning(LIBRARY_ONLY, date(2025, 12, 15)) is None  # the library knows 2026
