"""A repeat report linked to a child's open referral: what it changes, and the priority raise it causes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.referral.domain.changes import Detail
from services.referral.domain.repeats import RaisedBecause, RepeatRule
from services.referral.domain.triage import Triage, more_urgent, raised

if TYPE_CHECKING:
    from services.referral.domain.referral import Referral


@dataclass(frozen=True)
class Linking:
    """What a linked repeat report changes, and the detail of the priority raise it caused, if any (announced
    as PRIORITY_RAISED, so that the holder is told)."""

    fields: dict[str, object]
    priority_raised: Detail | None


def link_report(referral: Referral, assessed: Triage, reports_in_window: int, repeats: RepeatRule) -> Linking:
    """The referral takes the more urgent priority of the two and the police flag of either; the report that
    makes the repeat number raises it one level besides."""
    by_repeats = repeats.raises(reports_in_window, opening=False)
    after = more_urgent(referral.priority, assessed.priority)
    if by_repeats:
        after = more_urgent(after, raised(referral.priority))
    fields = {
        "priority": after,
        "police_required": referral.police_required or assessed.police_required,
        "report_count": referral.report_count + 1,
    }
    if after == referral.priority:
        return Linking(fields, None)
    because = RaisedBecause.REPEAT_REPORTS if by_repeats else RaisedBecause.LINKED_REPORT_TRIAGE
    detail: Detail = {
        "from": referral.priority.value,
        "to": after.value,
        "reason": because.value,
        "reports_in_window": reports_in_window,
    }
    return Linking(fields, detail)
