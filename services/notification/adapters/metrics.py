"""What notification counts for /metrics (see shared/metrics.py)."""

from datetime import date

from services.notification.domain.workdays import WorkCalendar
from shared.domain.codes import Priority
from shared.metrics import Figure, GaugeMetricFamily, Metric

PRIORITIES = ", ".join(f"'{priority.value}'" for priority in Priority)

FIGURES = [
    Figure("deadlines_pending", "Stage deadlines running", "SELECT count(*) FROM deadlines WHERE status = 'pending'"),
    Figure(
        "deadlines_overdue",
        "Stage deadlines past due and not met, by the case's priority",
        f"SELECT p.priority, count(d.deadline_id) FROM unnest(ARRAY[{PRIORITIES}]) AS p(priority) "
        "LEFT JOIN deadlines d ON d.priority = p.priority AND d.status = 'pending' AND d.due_at < now() "
        "GROUP BY p.priority ORDER BY p.priority",
        labels=("priority",),
    ),
    Figure(
        "notifications",
        "Notifications by delivery status",
        "SELECT status, count(*) FROM notifications GROUP BY status",
        labels=("status",),
    ),
    Figure(
        "notification_failures",
        "Delivery attempts that failed",
        "SELECT count(*) FROM delivery_attempts WHERE outcome = 'failed'",
        counter=True,
    ),
]


def next_years_holidays(calendar: WorkCalendar, today: date) -> Metric:
    """Whether next year's holidays are known (to the calendar library, or published by an administrator):
    without them, next year's deadlines count Monday to Friday and are marked provisional."""
    known = calendar.covers(today.year + 1)
    help_ = "1 when next year's public holidays are known, 0 while they are not (deadlines then provisional)"
    return GaugeMetricFamily("holiday_calendar_next_year_known", help_, 1 if known else 0)
