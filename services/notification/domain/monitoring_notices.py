"""What the county centre is told when a station assesses a child's guardianship as 较差 or 危险. Pure: no I/O.
The notice names the station and the case number; nothing about the child, the family or the helper."""

from datetime import datetime

from services.notification.domain.notices import Audience, Notice, NoticeKind, beijing_time, case_ref
from shared.domain.monitoring import CENTRE_TOLD_LEVELS, Assessment
from shared.domain.referrals import Stage
from shared.events import ReferralActionRecorded

LEVEL_NAMES = {
    Assessment.GOOD: "良好",
    Assessment.FAIR: "一般",
    Assessment.POOR: "较差",
    Assessment.DANGEROUS: "危险",
}
UNNAMED_STATION = "承办工作站"


def tells_centre(level: Assessment) -> bool:
    return level in CENTRE_TOLD_LEVELS


def notice_for_centre(
    action: ReferralActionRecorded,
    level: Assessment,
    station_name: str | None,
    due: dict[Stage, datetime],
) -> Notice:
    """`due`: the clocks the assessment started, by stage, with their due times."""
    case, station = case_ref(action.referral_id, action.case_number), station_name or UNNAMED_STATION
    said = f"{station}于 {beijing_time(action.at)} 评估{case}儿童的家庭监护状况为{LEVEL_NAMES[level]}"
    if level is Assessment.DANGEROUS and Stage.GUARDIANSHIP_DECISION in due:
        decide_by = beijing_time(due[Stage.GUARDIANSHIP_DECISION])
        body = f"{said}。请贵中心于 {decide_by}前决定是否实施临时监护，并在系统中记录决定。"
    else:
        body = f"{said}，儿童已纳入监护监测，工作站将确定结对帮扶人并定期随访。请贵中心知悉并督促跟进。"
    if Stage.HELPER in due:
        body += f"结对帮扶人应于 {beijing_time(due[Stage.HELPER])}前确定。"
    return Notice(
        kind=NoticeKind.MONITORING,
        audience=Audience.COUNTY_CENTRE,
        about_code=action.assignee_code or "",
        assignee_code=action.assignee_code or "",
        referral_id=action.referral_id,
        subject=f"【监护评估{LEVEL_NAMES[level]}】{case}",
        body=body,
    )
