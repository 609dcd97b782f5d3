"""The police's side of a referral: the station records when it told the police, which police station and
the police's case number, then what the police did. Pure rules; called by Referral's methods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from services.referral.domain.changes import ActionContext, Change, Detail
from services.referral.domain.closing import MissingStep
from services.referral.domain.lifecycle import Takers, check
from shared.domain.police import PoliceFeedback
from shared.domain.problems import Conflict, invalid
from shared.domain.referrals import OPEN_STATUSES, ReferralAction, ReferralStatus

if TYPE_CHECKING:
    from services.referral.domain.referral import Referral

# The police may feed back after the case is closed; it is still recorded.
FEEDBACK_ALLOWED_IN = OPEN_STATUSES | {ReferralStatus.CLOSED}


@dataclass(frozen=True)
class PoliceNotice:
    at: datetime | None = None
    station: str | None = None  # the 派出所 told, by name
    case_number: str | None = None  # the police's own number for the case, once they give one


def notified(referral: Referral, context: ActionContext, notice: PoliceNotice, notes: str | None) -> Change:
    check(context.caller, referral, Takers.HOLDER, OPEN_STATUSES)
    if referral.police_notified_at is not None:
        raise Conflict("已记录报警，不能重复记录")
    at = referral.happened(notice.at, context)
    fields = {"police_notified_at": at, "police_station": notice.station, "police_case_number": notice.case_number}
    detail: Detail = {"at": at.isoformat(), "police_station": notice.station, "police_case_number": notice.case_number}
    return Change(fields, ReferralAction.POLICE_NOTIFIED, detail, notes)


def fed_back(
    referral: Referral, context: ActionContext, feedback: PoliceFeedback, at: datetime | None, notes: str | None
) -> Change:
    """The latest feedback is the referral's; each is in the history."""
    check(context.caller, referral, Takers.HOLDER, FEEDBACK_ALLOWED_IN)
    if referral.police_notified_at is None:
        raise Conflict("尚未记录报警，不能记录公安反馈", missing=(MissingStep.POLICE_NOTICE.value,))
    at = referral.happened(at, context)
    if at < referral.police_notified_at:
        raise invalid("at", "before_police_notified", "不能早于报警时间")
    fields = {"police_feedback": feedback, "police_feedback_at": at}
    detail: Detail = {"at": at.isoformat(), "feedback": feedback.value}
    return Change(fields, ReferralAction.POLICE_FEEDBACK_RECORDED, detail, notes)
