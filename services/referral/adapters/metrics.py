"""What referral counts for /metrics (see shared/metrics.py)."""

from shared.metrics import Figure

FIGURES = [
    Figure(
        "referrals", "Referrals by status", "SELECT status, count(*) FROM referrals GROUP BY status", labels=("status",)
    ),
    Figure(
        "referrals_closed",
        "Closed referrals by outcome",
        "SELECT outcome, count(*) FROM referrals WHERE status = 'closed' GROUP BY outcome",
        labels=("outcome",),
        counter=True,
    ),
    Figure("referral_declines", "Declines by stations", "SELECT sum(decline_count) FROM referrals", counter=True),
    Figure(
        "reports_linked",
        "Repeat reports linked to an open referral",
        "SELECT count(*) FROM referral_reports WHERE linked",
        counter=True,
    ),
]
