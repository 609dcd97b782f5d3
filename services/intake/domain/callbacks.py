"""The hotline's callback (回访): what the operator records, its rules, what is announced (never the notes), and
the tasks of calls to make. Pure: no I/O."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from services.intake.domain.case_progress import ROLE_WORDS, TimelineEntry, TimelineWhat
from shared.domain.access import Principal
from shared.domain.codes import Satisfaction
from shared.domain.problems import FieldProblem, FieldProblems
from shared.events import CallbackRecorded

NOT_REACHED = "未联系上"


@dataclass(frozen=True)
class Callback:
    reached: bool
    satisfaction: Satisfaction | None
    notes: str | None  # stays in intake
    at: datetime | None  # when the call was made; now if not said


@dataclass(frozen=True)
class CallbackTarget:
    """The report called back about, as intake has it."""

    report_id: UUID
    received_at: datetime
    referral_id: UUID | None
    case_number: str | None


def callback_problems(callback: Callback, at: datetime, received_at: datetime) -> list[FieldProblem]:
    """The satisfaction is said when, and only when, the reporter was reached; a call is not made before the
    report came in."""
    problems = []
    if callback.reached and callback.satisfaction is None:
        problems.append(FieldProblem("satisfaction", "missing", "联系上报告人时须填写满意度"))
    if not callback.reached and callback.satisfaction is not None:
        problems.append(FieldProblem("satisfaction", "not_reached", "未联系上报告人时不能填写满意度"))
    if at < received_at:
        problems.append(FieldProblem("at", "before_received", "不能早于报告接收时间"))
    return problems


def checked(callback: Callback, target: CallbackTarget, now: datetime) -> datetime:
    """When the call was made, once the rules hold."""
    at = callback.at or now
    if problems := callback_problems(callback, at, target.received_at):
        raise FieldProblems(problems)
    return at


def announcement(callback: Callback, target: CallbackTarget, at: datetime, principal: Principal) -> CallbackRecorded:
    return CallbackRecorded(
        report_id=target.report_id,
        referral_id=target.referral_id,
        case_number=target.case_number,
        reached=callback.reached,
        satisfaction=callback.satisfaction,
        at=at,
        recorded_by=f"{principal.role.value}:{principal.subject}",
    )


def timeline_entry(event: CallbackRecorded) -> TimelineEntry:
    detail = event.satisfaction.label if event.satisfaction else NOT_REACHED
    what = TimelineWhat.CALLBACK.value
    return TimelineEntry(
        event.event_id, event.referral_id, event.report_id, event.at, what, ROLE_WORDS["operator"], detail
    )


class CallbackTask(BaseModel):
    """A call the hotline is to make: the case is closed, or its callback deadline has come."""

    report_id: str
    hotline_ticket_id: str | None
    case_number: str | None
    received_at: datetime
    case_status: str
    outcome_label: str | None
    closed_at: datetime | None
    callback_due_at: datetime | None
    called_back_at: datetime | None
