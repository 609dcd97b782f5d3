"""An unrouted referral's dispatch: the hotline supervisors hold its clock from when it enters the unrouted
queue until it is placed with a station or centre, and their lead is told at once. Pure: no I/O."""

from services.notification.domain.follow_up import ClockStart, running_clock
from services.notification.domain.notices import (
    HOTLINE_CODE,
    PRIORITY_NAMES,
    Audience,
    Notice,
    NoticeKind,
    beijing_time,
    case_ref,
)
from services.notification.domain.policy import VersionedPolicy
from services.notification.domain.stage_clocks import ClocksSoFar, StageDeadline
from services.notification.domain.workdays import WorkCalendar
from shared.domain.referrals import Stage
from shared.events import ReferralUnrouted


def dispatch_deadline(
    unrouted: ReferralUnrouted, so_far: ClocksSoFar, policy: VersionedPolicy, calendar: WorkCalendar
) -> StageDeadline:
    """The dispatch clock, from when the referral entered the queue (again, under the same id, when a decline
    sends it back)."""
    start = ClockStart(
        unrouted.referral_id,
        unrouted.report_id,
        HOTLINE_CODE,
        unrouted.occurred_at,
        unrouted.priority,
        unrouted.version,
        unrouted.area_code,
        unrouted.case_number,
    )
    return running_clock(Stage.DISPATCH, start, so_far, policy, calendar)


def notice_for_unrouted(unrouted: ReferralUnrouted, deadline: StageDeadline) -> Notice:
    priority, case = PRIORITY_NAMES[unrouted.priority], case_ref(unrouted.referral_id, unrouted.case_number)
    return Notice(
        kind=NoticeKind.UNROUTED,
        audience=Audience.HOTLINE,
        about_code=HOTLINE_CODE,
        assignee_code=HOTLINE_CODE,
        referral_id=unrouted.referral_id,
        subject=f"【待分派】{case}（{priority}）",
        body=(
            f"{case}（{priority}）无法自动派给工作站或救助保护中心，已进入人工分派队列，"
            f"请于 {beijing_time(deadline.due.at)}前分派。"
        ),
    )
