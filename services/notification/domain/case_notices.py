"""Notices of what was done to a case: the callback can be made (the case closed), an information copy for
the station of the child's household registration, a priority change for the holder. Pure: no I/O. They
name the case by its number and carry nothing about the child or the reporter."""

from services.notification.domain.notices import (
    HOTLINE_CODE,
    PRIORITY_NAMES,
    STAGE_NAMES,
    Audience,
    Notice,
    NoticeKind,
    beijing_time,
    case_ref,
)
from shared.domain.codes import Priority
from shared.events import DeadlineExtension, ReferralActionRecorded
from shared.events.deadlines import ExtensionDecision


def copy_station(action: ReferralActionRecorded) -> str | None:
    """The station an information copy went to (`copy_to`; `station_code` in older events)."""
    code = action.detail.get("copy_to") or action.detail.get("station_code")
    return str(code) if code else None


def to_station(kind: NoticeKind, code: str, action: ReferralActionRecorded, subject: str, body: str) -> Notice:
    return Notice(kind, Audience.ASSIGNEE, code, code, action.referral_id, subject, body)


def notice_for_copy(action: ReferralActionRecorded) -> Notice:
    case = case_ref(action.referral_id, action.case_number)
    body = (
        f"{case}（{PRIORITY_NAMES[action.priority]}）的儿童户籍在贵单位辖区，现抄送贵单位知悉，"
        f"案件由承办单位办理。抄送于 {beijing_time(action.at)}，可在系统的抄送案件列表中查看。"
    )
    return to_station(NoticeKind.COPY, copy_station(action) or "", action, f"【抄送知悉】{case}", body)


def notice_for_priority(action: ReferralActionRecorded) -> Notice:
    case, now = case_ref(action.referral_id, action.case_number), PRIORITY_NAMES[action.priority]
    before = action.detail.get("from")
    was = f"由 {PRIORITY_NAMES[Priority(before)]} " if before in set(Priority) else ""
    body = (
        f"{case} 的优先级于 {beijing_time(action.at)} {was}调整为 {now}，"
        "尚未完成的环节按新的优先级计算时限，请登录系统查看。"
    )
    return to_station(NoticeKind.PRIORITY, action.assignee_code or "", action, f"【优先级变更】{case}（{now}）", body)


def notice_for_callback_due(closed: ReferralActionRecorded) -> Notice:
    case = case_ref(closed.referral_id, closed.case_number)
    return Notice(
        kind=NoticeKind.CALLBACK_DUE,
        audience=Audience.HOTLINE,
        about_code=HOTLINE_CODE,
        assignee_code=HOTLINE_CODE,
        referral_id=closed.referral_id,
        subject=f"【待回访】{case} 已办结",
        body=f"{case} 已于 {beijing_time(closed.at)} 办结，现可回访反映人，并在系统中记录回访结果。",
    )


EXTENSION_WORDS = {
    ExtensionDecision.PENDING: ("延期申请", "申请延期至 {until}，请审批"),
    ExtensionDecision.APPROVED: ("延期已批准", "已延期至 {until}"),
    ExtensionDecision.REFUSED: ("延期未批准", "延期至 {until} 的申请未获批准，期限不变"),
}


def notice_for_extension(extension: DeadlineExtension, case_number: str | None) -> Notice:
    """A request goes to the county centre over the holder; the decision to the holder. The reason stays in
    the system: it is free text."""
    title, words = EXTENSION_WORDS[extension.decision]
    case, stage = case_ref(extension.referral_id, case_number), STAGE_NAMES[extension.stage]
    asked = extension.decision is ExtensionDecision.PENDING
    what = words.format(until=beijing_time(extension.requested_until))
    return Notice(
        kind=NoticeKind.EXTENSION,
        audience=Audience.COUNTY_CENTRE if asked else Audience.ASSIGNEE,
        about_code=extension.assignee_code,
        assignee_code=extension.assignee_code,
        referral_id=extension.referral_id,
        subject=f"【{title}】{case} {stage}",
        body=f"{case} 的{stage}（原期限 {beijing_time(extension.due_at)}）{what}。",
    )
