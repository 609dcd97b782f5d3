"""What notification counts for /metrics (see shared/metrics.py)."""

from shared.metrics import Figure

FIGURES = [
    Figure("deadlines_pending", "Stage deadlines running", "SELECT count(*) FROM deadlines WHERE status = 'pending'"),
    Figure(
        "deadlines_overdue",
        "Stage deadlines past due and not met",
        "SELECT count(*) FROM deadlines WHERE status = 'pending' AND due_at < now()",
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
