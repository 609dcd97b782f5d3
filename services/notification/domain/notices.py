"""What a notice says and to whom, from the event that causes it. Pure: no I/O.

Notices name the referral, the stage and the deadline; they never carry a child's or a reporter's
personal data, since e-mail and SMS leave the system.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from services.notification.domain.delivery_channels import DeliveryChannel
from shared.domain.codes import Priority
from shared.domain.divisions import DivisionCode, DivisionLevel, is_division_code
from shared.domain.referrals import Stage
from shared.events import DeadlineAlert, DeadlineBreached, DeadlineReminderDue, ReferralAssigned, SupervisionIssued
from shared.timezones import CHINA


class Audience(StrEnum):
    ASSIGNEE = "station"  # the station or centre that holds the referral
    COUNTY_CENTRE = "county_centre"  # the centre of the assignee's county
    COMMITTEE = "committee"  # the committee whose area covers the assignee (or the child, when unrouted)
    HOTLINE = "hotline"  # the hotline supervisors' lead, who dispatches the unrouted queue


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
}
PRIORITY_NAMES = {Priority.P1: "P1 紧急", Priority.P2: "P2 高", Priority.P3: "P3 一般"}
CHANNEL_NAMES = {
    DeliveryChannel.WEBHOOK: "系统推送",
    DeliveryChannel.EMAIL: "电子邮件",
    DeliveryChannel.SMS: "短信",
    DeliveryChannel.NONE: "任何渠道",
}


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


def short_id(referral_id: UUID | None) -> str:
    return str(referral_id)[:8] if referral_id else "-"


def local_time(moment: datetime) -> str:
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def notice_for_assignment(assigned: ReferralAssigned) -> Notice:
    reason = ASSIGNMENT_REASONS.get(assigned.reason, "转介")
    police = "，须报告公安机关" if assigned.police_required else ""
    return Notice(
        kind=NoticeKind.ASSIGNED,
        audience=Audience.ASSIGNEE,
        about_code=assigned.assignee_code,
        assignee_code=assigned.assignee_code,
        referral_id=assigned.referral_id,
        subject=f"【{reason}】转介 {short_id(assigned.referral_id)}（{PRIORITY_NAMES[assigned.priority]}）",
        body=(
            f"{assigned.assignee_name}：转介 {assigned.referral_id}（{PRIORITY_NAMES[assigned.priority]}{police}）"
            f"于 {local_time(assigned.assigned_at)} 派给贵单位，请登录系统按时限签收。"
        ),
    )


def holder_name(code: str) -> str:
    return "12345热线" if code == HOTLINE_CODE else code


def notices_for_alert(alert: DeadlineAlert) -> list[Notice]:
    stage = STAGE_NAMES.get(alert.stage, alert.stage)
    priority = PRIORITY_NAMES[alert.priority]
    referral = short_id(alert.referral_id)
    due, holder = local_time(alert.due_at), holder_name(alert.assignee_code)
    match alert:
        case DeadlineReminderDue():
            kind, title = NoticeKind.REMINDER, "提醒"
            text = f"转介 {alert.referral_id}（{priority}）的{stage}期限为 {due}，请及时办理。"
        case DeadlineBreached():
            kind, title = NoticeKind.BREACH, "逾期"
            text = f"转介 {alert.referral_id}（{priority}）的{stage}已于 {due} 逾期，承办单位 {holder}。"
        case SupervisionIssued():
            kind, title = NoticeKind.SUPERVISION, "督办"
            text = f"转介 {alert.referral_id}（{priority}）的{stage}自 {due} 逾期未办，承办单位 {holder}。"
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
            subject=f"【{title}】转介 {referral} {stage}（{priority}）",
            body=text + late,
        )
        for who in alert.notify
    ]


@dataclass(frozen=True)
class Failure:
    """A notification that could not be delivered."""

    notification_id: UUID
    kind: NoticeKind
    referral_id: UUID | None
    assignee_code: str
    receiver_code: str
    channel: DeliveryChannel
    attempts: int


def notice_for_failure(failure: Failure) -> Notice | None:
    """A station's failure goes to the centre of its county, a centre's to the committee over it. A failed
    notice to a committee, or about a failure, raises nothing more: it stays listed as dead."""
    if failure.kind == NoticeKind.DELIVERY_FAILED:
        return None
    level = DivisionCode(failure.receiver_code).level if is_division_code(failure.receiver_code) else None
    match level:
        case DivisionLevel.TOWNSHIP:
            audience = Audience.COUNTY_CENTRE
        case DivisionLevel.COUNTY:
            audience = Audience.COMMITTEE
        case _:
            return None
    channel = CHANNEL_NAMES.get(failure.channel, failure.channel)
    return Notice(
        kind=NoticeKind.DELIVERY_FAILED,
        audience=audience,
        about_code=failure.receiver_code,
        assignee_code=failure.assignee_code,
        referral_id=failure.referral_id,
        subject=f"【送达失败】发给 {failure.receiver_code} 的通知未能送达",
        body=(
            f"通知 {failure.notification_id}（转介 {short_id(failure.referral_id)}）经 {failure.attempts} 次尝试"
            f"未能通过{channel}送达 {failure.receiver_code}，请电话联系该单位。"
        ),
    )
