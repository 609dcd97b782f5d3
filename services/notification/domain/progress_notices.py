"""What a 12345 platform client is told of its work order's progress: the milestone, when, and an outcome
text safe to read to the reporter. Pure: no I/O. Nothing about the child or the reporter: the event carries
none, and only these fields are sent."""

import json

from services.notification.domain.notices import Audience, Notice, NoticeKind
from shared.domain.codes import Milestone
from shared.events import ReportProgressed

MILESTONE_NAMES = {
    Milestone.ACKNOWLEDGED: "签收",
    Milestone.CLOSED: "办结",
    Milestone.REOPENED: "重新办理",
}


def notice_for_progress(progressed: ReportProgressed) -> Notice | None:
    """None when no platform client filed the report, or for a milestone the platform is not told of (it
    knows of the receipt, having filed the report)."""
    name = MILESTONE_NAMES.get(progressed.milestone)
    if not progressed.platform_client or name is None:
        return None
    work_order = {
        "hotline_ticket_id": progressed.hotline_ticket_id,
        "case_number": progressed.case_number,
        "milestone": progressed.milestone.value,
        "milestone_name": name,
        "at": progressed.at.isoformat(),
        "outcome_text": progressed.outcome_text,
    }
    ticket = progressed.hotline_ticket_id or progressed.case_number or "-"
    return Notice(
        kind=NoticeKind.PROGRESS,
        audience=Audience.PLATFORM,
        about_code=progressed.platform_client,
        assignee_code=progressed.platform_client,
        referral_id=None,
        subject=f"【{name}】工单 {ticket}",
        body=json.dumps(work_order, ensure_ascii=False),
    )
