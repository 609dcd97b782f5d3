"""What a notice says and to whom, from the event that causes it. Pure: no I/O.

Notices name the referral, the stage and the deadline; they never carry a child's or a reporter's
personal data, since e-mail and SMS leave the system.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from shared.domain.codes import Priority
from shared.domain.referrals import Stage
from shared.events import DeadlineAlert, DeadlineBreached, DeadlineReminderDue, ReferralAssigned, SupervisionIssued
from shared.timezones import CHINA


class Audience(StrEnum):
    ASSIGNEE = "station"  # the station or centre that holds the referral
    COUNTY_CENTRE = "county_centre"  # the centre of the assignee's county
    COMMITTEE = "committee"  # the committee whose area covers the assignee (or the child, when unrouted)
    HOTLINE = "hotline"  # the hotline supervisors' lead, who dispatches the unrouted queue and makes callbacks
    PLATFORM = "platform"  # a 12345 platform client, told of its work orders' progress


# Who holds the clocks of an unrouted referral, and the code of the hotline's receiver.
HOTLINE_CODE = "hotline"


class NoticeKind(StrEnum):
    ASSIGNED = "assigned"
    UNROUTED = "unrouted"
    REMINDER = "reminder"
    BREACH = "breach"
    SUPERVISION = "supervision"
    DELIVERY_FAILED = "delivery_failed"
    STUCK = "stuck"  # an accepted report went no further (see intake)
    CALLBACK_DUE = "callback_due"  # the case closed: the hotline calls the reporter back
    COPY = "copy"  # an information copy for the station of the child's household registration
    PRIORITY = "priority"  # the case's priority changed
    EXTENSION = "extension"  # a request for more time, and its decision
    PROGRESS = "progress"  # a 12345 platform client's work order moved on
    MONITORING = "monitoring"  # a child assessed 较差 or 危险: the county centre is told


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    audience: Audience
    about_code: str  # the division code the audience is found from
    assignee_code: str
    referral_id: UUID | None
    subject: str
    body: str


STAGE_NAMES = {
    Stage.DISPATCH: "人工分派",
    Stage.ACKNOWLEDGE: "签收",
    Stage.FIRST_CONTACT: "首次联系",
    Stage.HOME_VISIT: "入户走访",
    Stage.ASSESSMENT: "监护评估",
    Stage.POLICE_NOTICE: "报告公安机关",
    Stage.POLICE_FEEDBACK: "公安机关反馈",
    Stage.CALLBACK: "回访",
    Stage.HELPER: "确定结对帮扶人",
    Stage.FOLLOW_UP_VISIT: "随访",
    Stage.GUARDIANSHIP_DECISION: "临时监护决定",
}
PRIORITY_NAMES = {Priority.P1: "P1 紧急", Priority.P2: "P2 高", Priority.P3: "P3 一般"}


class AssignmentReason(StrEnum):
    """Why ReferralAssigned was sent (its `reason`)."""

    ROUTED = "routed"
    DECLINED = "declined"
    REASSIGNED = "reassigned"
    DISPATCHED = "dispatched"


ASSIGNMENT_REASONS = {
    AssignmentReason.ROUTED: "新转介",
    AssignmentReason.DECLINED: "退回改派",
    AssignmentReason.REASSIGNED: "改派",
    AssignmentReason.DISPATCHED: "人工分派",
}


@dataclass(frozen=True)
class CaseLabel:
    """What a notice reads in place of codes and ids, as this service knows them."""

    case_number: str | None = None
    holder_name: str | None = None
    extension_pending: bool = False  # a request for more time waits for the county centre


def short_id(referral_id: UUID | None) -> str:
    return str(referral_id)[:8] if referral_id else "-"


def case_ref(referral_id: UUID | None, case_number: str | None) -> str:
    """The case as people name it: its number, else the start of the referral's id."""
    return f"案件 {case_number}" if case_number else f"转介 {short_id(referral_id)}"


def local_time(moment: datetime) -> str:
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def beijing_time(moment: datetime) -> str:
    """A time as a notice that leaves the system shows it."""
    return f"{local_time(moment)}（北京时间）"


def notice_for_assignment(assigned: ReferralAssigned, acknowledge_by: datetime | None = None) -> Notice:
    reason = ASSIGNMENT_REASONS.get(assigned.reason, "转介")
    police = "，须报告公安机关" if assigned.police_required else ""
    case, priority = case_ref(assigned.referral_id, assigned.case_number), PRIORITY_NAMES[assigned.priority]
    due = f"请于 {beijing_time(acknowledge_by)}前登录系统签收。" if acknowledge_by else "请登录系统按时限签收。"
    sent = local_time(assigned.assigned_at)
    return Notice(
        kind=NoticeKind.ASSIGNED,
        audience=Audience.ASSIGNEE,
        about_code=assigned.assignee_code,
        assignee_code=assigned.assignee_code,
        referral_id=assigned.referral_id,
        subject=f"【{reason}】{case}（{priority}）",
        body=f"{assigned.assignee_name}：{case}（{priority}{police}）于 {sent} 派给贵单位，{due}",
    )


def holder_name(code: str) -> str:
    return "12345热线" if code == HOTLINE_CODE else code


def notices_for_alert(alert: DeadlineAlert, label: CaseLabel = CaseLabel()) -> list[Notice]:
    stage = STAGE_NAMES.get(alert.stage, alert.stage)
    priority = PRIORITY_NAMES[alert.priority]
    case = case_ref(alert.referral_id, label.case_number)
    due, holder = beijing_time(alert.due_at), label.holder_name or holder_name(alert.assignee_code)
    match alert:
        case DeadlineReminderDue():
            kind, title = NoticeKind.REMINDER, "提醒"
            text = f"{case}（{priority}）的{stage}期限为 {due}，请及时办理。"
            text += "延期申请待审批。" if label.extension_pending else ""
        case DeadlineBreached():
            kind, title = NoticeKind.BREACH, "逾期"
            text = f"{case}（{priority}）的{stage}已于 {due} 逾期，承办单位 {holder}。"
        case SupervisionIssued():
            kind, title = NoticeKind.SUPERVISION, "督办"
            text = f"{case}（{priority}）的{stage}自 {due} 逾期未办，承办单位 {holder}。"
            text += "（督办由协调机制成员发出）" if alert.issued_by else ""
        case _:
            raise ValueError(f"no notice for {type(alert).__name__}")
    late = "（系统恢复后补发）" if alert.late else ""
    return [
        Notice(
            kind=kind,
            audience=Audience(who),
            about_code=alert.area_code or alert.assignee_code,
            assignee_code=alert.assignee_code,
            referral_id=alert.referral_id,
            subject=f"【{title}】{case} {stage}（{priority}）",
            body=text + late,
        )
        for who in alert.notify
    ]
