"""A case's timeline as people read it: when, what (with its words), by whom (a station or centre by name, or
the kind of body, never a person) and a detail in words (an outcome, a new priority, a satisfaction)."""

from datetime import datetime

from pydantic import BaseModel

from services.intake.domain.case_progress import TimelineWhat
from shared.domain.referrals import ReferralAction

RECEIVED = "received"  # the report itself, taken by the hotline

WHAT_WORDS = {
    RECEIVED: "热线受理",
    TimelineWhat.ROUTED: "转派",
    TimelineWhat.UNROUTED: "待人工分派",
    TimelineWhat.LINKED: "并案",
    TimelineWhat.CALLBACK: "回访",
    ReferralAction.ACKNOWLEDGED: "签收",
    ReferralAction.CONTACT_RECORDED: "首次联系",
    ReferralAction.HOME_VISIT_RECORDED: "入户走访",
    ReferralAction.ASSESSMENT_RECORDED: "监护评估",
    ReferralAction.DECLINED: "退回",
    ReferralAction.REASSIGNED: "改派",
    ReferralAction.POLICE_NOTIFIED: "已报警",
    ReferralAction.POLICE_FEEDBACK_RECORDED: "公安反馈",
    ReferralAction.CLOSED: "办结",
    ReferralAction.PRIORITY_CHANGED: "调整优先级",
    ReferralAction.PRIORITY_RAISED: "重复报告提高优先级",
    ReferralAction.INFORMATION_COPY_SENT: "抄送户籍地",
    ReferralAction.REOPENED: "重新办理",
    ReferralAction.TASK_HANDED: "交村（居）儿童主任办理",
    ReferralAction.HELPER_NAMED: "指定结对帮扶人",
    ReferralAction.FOLLOW_UP_VISIT_RECORDED: "随访",
    ReferralAction.MONITORING_ENDED: "结束监护监测",
    ReferralAction.GUARDIANSHIP_NOT_NEEDED: "无需临时监护",
    ReferralAction.GUARDIANSHIP_STARTED: "临时监护",
    ReferralAction.GUARDIANSHIP_ENDED: "结束临时监护",
    "extension_pending": "申请延期",
    "extension_approved": "延期已批准",
    "extension_refused": "延期未批准",
}


class TimelineItem(BaseModel):
    at: datetime
    what: str
    what_text: str
    who: str | None
    detail: str | None


def timeline_item(at: datetime, what: str, who: str | None, detail: str | None) -> TimelineItem:
    return TimelineItem(at=at, what=what, what_text=WHAT_WORDS.get(what, what), who=who, detail=detail)


def with_receipt_of_the_report(received_at: datetime, entries: list[TimelineItem]) -> list[TimelineItem]:
    """The timeline, from the hotline taking the report, in time order."""
    first = timeline_item(received_at, RECEIVED, "12345热线", None)
    return sorted([first, *entries], key=lambda item: item.at)
