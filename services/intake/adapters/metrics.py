"""What intake counts for /metrics, read from its own tables when scraped (served by shared/metrics.py)."""

from shared.domain.codes import StuckReason
from shared.metrics import Figure

REASONS = ", ".join(f"'{reason.value}'" for reason in StuckReason)

FIGURES = [
    Figure("reports_received", "Reports accepted from the hotline", "SELECT count(*) FROM reports", counter=True),
    Figure(
        "reports",
        "Reports by where they went",
        "SELECT routing_state, count(*) FROM reports GROUP BY routing_state",
        labels=("state",),
    ),
    Figure(
        "reports_stuck",
        "Reports that went no further, by why (an event about them dead-lettered, or no referral in time)",
        f"SELECT r.reason, count(s.report_id) FROM unnest(ARRAY[{REASONS}]) AS r(reason) "
        "LEFT JOIN stuck_reports s ON s.reason = r.reason AND s.cleared_at IS NULL GROUP BY r.reason ORDER BY r.reason",
        labels=("reason",),
    ),
    Figure(
        "dead_letters_without_report",
        "Dead letters seen whose body names no report intake knows",
        "SELECT count(*) FROM dead_letters WHERE report_id IS NULL",
        counter=True,
    ),
]
