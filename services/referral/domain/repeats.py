"""Repeat reports: a report about a child who already has an open referral is linked to it, and the
child's reports within the window raise the referral's priority one level once they reach a number."""

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class RaisedBecause(StrEnum):
    REPEAT_REPORTS = "repeat_reports"
    LINKED_REPORT_TRIAGE = "linked_report_triage"  # the linked report is itself more urgent


@dataclass(frozen=True)
class RepeatRule:
    window: timedelta
    reports_that_raise: int

    def raises(self, reports_in_window: int, opening: bool) -> bool:
        """Whether the child's reports within the window (this one included) raise the priority one level.

        A referral opened when the child already has that many reports starts raised (the referral before
        it may have been closed); an open referral is raised once, by the report that makes the number,
        not again by each report after it."""
        if opening:
            return reports_in_window >= self.reports_that_raise
        return reports_in_window == self.reports_that_raise
