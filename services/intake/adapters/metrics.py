"""What intake counts for /metrics, read from its own tables when scraped (served by shared/metrics.py)."""

from shared.metrics import Figure

FIGURES = [
    Figure("reports_received", "Reports accepted from the hotline", "SELECT count(*) FROM reports", counter=True),
    Figure(
        "reports",
        "Reports by where they went",
        "SELECT routing_state, count(*) FROM reports GROUP BY routing_state",
        labels=("state",),
    ),
]
