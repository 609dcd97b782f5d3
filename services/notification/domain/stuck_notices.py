"""What the hotline supervisors' lead is told of a stuck report. Pure: no I/O. The report is named by its 12345
ticket, else by the start of its id; never by anything about the child or the reporter."""

from services.notification.domain.notices import HOTLINE_CODE, Audience, Notice, NoticeKind, local_time, short_id
from shared.domain.codes import StuckReason
from shared.events import ReportStuck

REASON_NAMES = {
    StuckReason.DEAD_LETTERED: "处理失败被搁置",
    StuckReason.NO_REFERRAL: "超时未转介",
}


def report_name(stuck: ReportStuck) -> str:
    return f"工单 {stuck.hotline_ticket_id}" if stuck.hotline_ticket_id else f"报告 {short_id(stuck.report_id)}"


def notice_for_stuck(stuck: ReportStuck) -> Notice:
    name, since = report_name(stuck), local_time(stuck.since)
    match stuck.reason:
        case StuckReason.DEAD_LETTERED:
            where = "，".join(part for part in (stuck.source_topic, stuck.consumer_group) if part)
            what = (
                f"自 {since}（北京时间）起处理失败，已被搁置为死信。错误：{stuck.error or '未知'}"
                f"{f'（{where}）' if where else ''}。请排除原因后重放死信。"
            )
        case StuckReason.NO_REFERRAL:
            what = f"于 {since}（北京时间）受理，至 {local_time(stuck.occurred_at)} 仍未转介。请检查转介服务。"
    return Notice(
        kind=NoticeKind.STUCK,
        audience=Audience.HOTLINE,
        about_code=HOTLINE_CODE,
        assignee_code=HOTLINE_CODE,
        referral_id=None,
        subject=f"【报告滞留】{name}（{REASON_NAMES[stuck.reason]}）",
        body=f"{name}（报告编号 {stuck.report_id}）{what}",
    )
