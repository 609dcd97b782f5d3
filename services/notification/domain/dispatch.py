"""An unrouted referral's dispatch: the hotline supervisors hold its clock from when it enters the unrouted
queue until it is placed with a station or centre, and their lead is told at once. Pure: no I/O."""

from services.notification.domain.deadlines import DeadlineStatus, deadline_for
from services.notification.domain.notices import (
    HOTLINE_CODE,
    PRIORITY_NAMES,
    Audience,
    Notice,
    NoticeKind,
    local_time,
    short_id,
)
from services.notification.domain.policy import VersionedPolicy
from services.notification.domain.stage_clocks import ClocksSoFar, StageDeadline
from services.notification.domain.timers import timer_points
from services.notification.domain.workdays import WorkCalendar
from shared.domain.referrals import Stage
from shared.events import ReferralUnrouted


def dispatch_deadline(
    unrouted: ReferralUnrouted, so_far: ClocksSoFar, policy: VersionedPolicy, calendar: WorkCalendar
) -> StageDeadline:
    """The dispatch clock, from when the referral entered the queue (again, under the same id, when a decline
    sends it back)."""
    due = deadline_for(Stage.DISPATCH, unrouted.priority, unrouted.occurred_at, policy.limits, calendar)
    return StageDeadline(
        deadline_id=so_far.deadline_id(Stage.DISPATCH),
        referral_id=unrouted.referral_id,
        report_id=unrouted.report_id,
        stage=Stage.DISPATCH,
        assignee_code=HOTLINE_CODE,
        starts_at=unrouted.occurred_at,
        priority=unrouted.priority,
        due=due,
        status=DeadlineStatus.PENDING,
        met_at=None,
        assignee_version=unrouted.version,
        policy_version=policy.version or None,
        timers=timer_points(unrouted.occurred_at, due.at, unrouted.priority),
        area_code=unrouted.area_code,
    )


def notice_for_unrouted(unrouted: ReferralUnrouted, deadline: StageDeadline) -> Notice:
    priority = PRIORITY_NAMES[unrouted.priority]
    return Notice(
        kind=NoticeKind.UNROUTED,
        audience=Audience.HOTLINE,
        about_code=HOTLINE_CODE,
        assignee_code=HOTLINE_CODE,
        referral_id=unrouted.referral_id,
        subject=f"【待分派】转介 {short_id(unrouted.referral_id)}（{priority}）",
        body=(
            f"转介 {unrouted.referral_id}（{priority}）无法自动派给工作站或救助保护中心，已进入人工分派队列，"
            f"请于 {local_time(deadline.due.at)} 前分派。"
        ),
    )
