"""The clocks of a child under monitoring, on storage in memory: the pairing helper's, the follow-up visits',
the county centre's decision on temporary guardianship, and the centre's notice of 较差 and 危险."""

from datetime import datetime, timedelta

from services.notification.application.case_actions import act_on_clocks
from services.notification.application.clocks import Rules, start_or_move
from services.notification.application.unrouted_clocks import wait_for_dispatch
from services.notification.domain.deadlines import DeadlineStatus, Limit
from services.notification.domain.notices import Audience, NoticeKind
from services.notification.domain.timers import TimerKind
from shared.domain.codes import Priority
from shared.domain.referrals import ReferralAction, ReferralStatus, Stage
from shared.events import ReferralActionRecorded, ReferralUnrouted
from shared.timezones import CHINA
from tests.factories import referral_assigned
from tests.fakes.notification_repositories import InMemoryClockTransaction

RULES = Rules()
CASE = "晋中-2026-000321"
STATION = "140724104"
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=CHINA)


def action(assigned, name: ReferralAction, version: int, at: datetime, **overrides) -> ReferralActionRecorded:
    values = {
        "referral_id": assigned.referral_id,
        "report_id": assigned.report_id,
        "version": version,
        "action": name,
        "actor": f"station:{STATION}",
        "at": at,
        "status": ReferralStatus.MONITORING,
        "assignee_code": assigned.assignee_code,
        "priority": assigned.priority,
        "case_number": CASE,
        "detail": {"at": at.isoformat()},
    }
    return ReferralActionRecorded(**(values | overrides))


def assessment(assigned, level: str, version: int, at: datetime, **overrides) -> ReferralActionRecorded:
    detail = {"level": level, "at": at.isoformat(), "monitoring": "started"} | overrides.pop("detail", {})
    return action(assigned, ReferralAction.ASSESSMENT_RECORDED, version, at, detail=detail, **overrides)


async def placed(code: str = STATION, priority: Priority = Priority.P2):
    store = InMemoryClockTransaction()
    store.names.names.update({"140724104": "大寨镇未成年人保护工作站", "140724": "昔阳县未成年人救助保护中心"})
    assigned = referral_assigned(assignee_code=code, priority=priority, case_number=CASE, assigned_at=MONDAY)
    await start_or_move(store, [assigned], RULES)
    return store, assigned


def clocks(store, assigned):
    return store.clocks.of(assigned.referral_id)


def end_of_day(day: datetime) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=CHINA) + timedelta(days=1)


async def test_a_poor_assessment_starts_the_helper_and_visit_clocks_and_tells_the_county_centre():
    store, assigned = await placed()
    assessed = assessment(assigned, "poor", 3, MONDAY + timedelta(days=1))
    told = await act_on_clocks(store, assessed, RULES)
    helper, visit = clocks(store, assigned)[Stage.HELPER], clocks(store, assigned)[Stage.FOLLOW_UP_VISIT]
    assert (helper.assignee_code, visit.assignee_code) == (STATION, STATION)
    assert helper.due.at == end_of_day(datetime(2026, 12, 1))  # 5 working days from Tuesday 24 November
    assert visit.due.at - assessed.at == timedelta(days=14)
    assert clocks(store, assigned)[Stage.ASSESSMENT].status is DeadlineStatus.MET
    assert Stage.GUARDIANSHIP_DECISION not in clocks(store, assigned)
    [(cause, notice)] = told
    assert (cause, notice.kind, notice.audience, notice.about_code) == (
        assessed.event_id,
        NoticeKind.MONITORING,
        Audience.COUNTY_CENTRE,
        STATION,
    )
    assert notice.subject == f"【监护评估较差】案件 {CASE}"
    assert "大寨镇未成年人保护工作站" in notice.body and CASE in notice.body and "较差" in notice.body
    assert STATION not in notice.body and str(assigned.referral_id)[:8] not in notice.body


async def test_a_fair_assessment_gives_ten_working_days_for_the_helper_a_visit_a_month_and_no_notice():
    store, assigned = await placed()
    assert await act_on_clocks(store, assessment(assigned, "fair", 3, MONDAY), RULES) == []
    helper, visit = clocks(store, assigned)[Stage.HELPER], clocks(store, assigned)[Stage.FOLLOW_UP_VISIT]
    assert helper.due.at == end_of_day(datetime(2026, 12, 7))
    assert visit.due.at == datetime(2026, 12, 23, 10, 0, tzinfo=CHINA)
    assert (helper.level, visit.level) == ("fair", "fair")


async def test_a_visit_meets_its_clock_and_the_next_one_runs_from_the_visit_keeping_the_history():
    store, assigned = await placed()
    await act_on_clocks(store, assessment(assigned, "poor", 3, MONDAY), RULES)
    first = clocks(store, assigned)[Stage.FOLLOW_UP_VISIT]
    visited_at = MONDAY + timedelta(days=10)
    visit = action(assigned, ReferralAction.FOLLOW_UP_VISIT_RECORDED, 4, visited_at + timedelta(hours=2))
    visit = visit.model_copy(update={"detail": {"at": visited_at.isoformat()}})
    await act_on_clocks(store, visit, RULES)
    rows = store.clocks.all_of(assigned.referral_id, Stage.FOLLOW_UP_VISIT)
    assert [(row.deadline_id == first.deadline_id, row.status) for row in rows] == [
        (True, DeadlineStatus.MET),
        (False, DeadlineStatus.PENDING),
    ]
    following = rows[1]
    assert (following.starts_at, following.due.at - visited_at, following.level) == (
        visited_at,
        timedelta(days=14),
        "poor",
    )
    assert (following.deadline_id, TimerKind.BREACH) in store.clocks.timers
    assert (first.deadline_id, TimerKind.BREACH) not in store.clocks.timers


async def test_a_missed_visit_is_breached_at_its_due_time_and_supervised_half_its_time_later():
    store, assigned = await placed()
    await act_on_clocks(store, assessment(assigned, "poor", 3, MONDAY), RULES)
    visit = clocks(store, assigned)[Stage.FOLLOW_UP_VISIT]
    fires = {kind: store.clocks.timers[(visit.deadline_id, kind)] - MONDAY for kind in TimerKind}
    assert fires == {
        TimerKind.REMINDER: timedelta(days=10, hours=12),
        TimerKind.BREACH: timedelta(days=14),
        TimerKind.SUPERVISION: timedelta(days=21),
    }


async def test_a_reassessment_at_another_level_retimes_the_running_clocks_from_their_start():
    store, assigned = await placed()
    await act_on_clocks(store, assessment(assigned, "fair", 3, MONDAY), RULES)
    before = clocks(store, assigned)
    again = assessment(assigned, "poor", 4, MONDAY + timedelta(days=2), detail={"monitoring": "continues"})
    told = await act_on_clocks(store, again, RULES)
    after = clocks(store, assigned)
    for stage in (Stage.HELPER, Stage.FOLLOW_UP_VISIT):
        assert (after[stage].deadline_id, after[stage].starts_at, after[stage].level) == (
            before[stage].deadline_id,
            MONDAY,
            "poor",
        )
    assert after[Stage.HELPER].due.at == end_of_day(datetime(2026, 11, 30))
    assert after[Stage.FOLLOW_UP_VISIT].due.at - MONDAY == timedelta(days=14)
    [(_, notice)] = told
    assert "2026-12-01 00:00" in notice.body  # when the helper is due, as re-timed


async def test_a_named_helper_meets_its_clock_and_a_later_assessment_does_not_start_it_again():
    store, assigned = await placed()
    await act_on_clocks(store, assessment(assigned, "fair", 3, MONDAY), RULES)
    await act_on_clocks(store, action(assigned, ReferralAction.HELPER_NAMED, 4, MONDAY + timedelta(days=1)), RULES)
    assert clocks(store, assigned)[Stage.HELPER].status is DeadlineStatus.MET
    await act_on_clocks(store, assessment(assigned, "poor", 5, MONDAY + timedelta(days=3)), RULES)
    assert clocks(store, assigned)[Stage.HELPER].status is DeadlineStatus.MET


async def test_leaving_monitoring_cancels_the_helper_and_visit_clocks_and_a_new_assessment_starts_them_again():
    store, assigned = await placed()
    await act_on_clocks(store, assessment(assigned, "dangerous", 3, MONDAY), RULES)
    good = assessment(assigned, "good", 4, MONDAY + timedelta(days=5), status=ReferralStatus.ACKNOWLEDGED)
    await act_on_clocks(store, good, RULES)
    ended = clocks(store, assigned)
    assert (ended[Stage.HELPER].status, ended[Stage.FOLLOW_UP_VISIT].status) == (DeadlineStatus.CANCELLED,) * 2
    assert ended[Stage.GUARDIANSHIP_DECISION].status is DeadlineStatus.PENDING  # the centre's, until it decides
    assert not [key for key in store.clocks.timers if key[0] == ended[Stage.HELPER].deadline_id]

    await act_on_clocks(store, assessment(assigned, "fair", 5, MONDAY + timedelta(days=9)), RULES)
    again = clocks(store, assigned)
    assert again[Stage.HELPER].deadline_id == ended[Stage.HELPER].deadline_id  # started again
    assert again[Stage.HELPER].status is DeadlineStatus.PENDING
    assert len(store.clocks.all_of(assigned.referral_id, Stage.FOLLOW_UP_VISIT)) == 2

    closed = action(assigned, ReferralAction.CLOSED, 6, MONDAY + timedelta(days=10), status=ReferralStatus.CLOSED)
    await act_on_clocks(store, closed, RULES)
    assert {clocks(store, assigned)[stage].status for stage in (Stage.HELPER, Stage.GUARDIANSHIP_DECISION)} == {
        DeadlineStatus.CANCELLED
    }


async def test_the_end_of_monitoring_cancels_its_clocks():
    store, assigned = await placed()
    await act_on_clocks(store, assessment(assigned, "poor", 3, MONDAY), RULES)
    ended = action(
        assigned, ReferralAction.MONITORING_ENDED, 4, MONDAY + timedelta(days=3), status=ReferralStatus.ACKNOWLEDGED
    )
    await act_on_clocks(store, ended, RULES)
    assert {clocks(store, assigned)[stage].status for stage in (Stage.HELPER, Stage.FOLLOW_UP_VISIT)} == {
        DeadlineStatus.CANCELLED
    }


async def test_a_dangerous_assessment_gives_the_county_centre_a_day_to_decide_on_temporary_guardianship():
    store, assigned = await placed(priority=Priority.P3)
    assessed = assessment(assigned, "dangerous", 3, MONDAY, detail={"police_required": "true"})
    told = await act_on_clocks(store, assessed, RULES)
    decision = clocks(store, assigned)[Stage.GUARDIANSHIP_DECISION]
    assert (decision.assignee_code, decision.due.at - MONDAY) == ("140724", timedelta(hours=24))
    assert clocks(store, assigned)[Stage.POLICE_NOTICE].status is DeadlineStatus.PENDING
    assert clocks(store, assigned)[Stage.HELPER].due.at == end_of_day(datetime(2026, 11, 30))
    [(_, notice)] = told
    assert notice.subject == f"【监护评估危险】案件 {CASE}"
    assert "2026-11-24 10:00（北京时间）前决定是否实施临时监护" in notice.body

    decided = action(assigned, ReferralAction.GUARDIANSHIP_NOT_NEEDED, 4, MONDAY + timedelta(hours=5))
    await act_on_clocks(store, decided, RULES)
    assert clocks(store, assigned)[Stage.GUARDIANSHIP_DECISION].status is DeadlineStatus.MET


async def test_a_centre_holding_the_case_holds_its_own_decision_and_keeps_it_when_the_case_moves():
    store, assigned = await placed(code="140724")
    await act_on_clocks(store, assessment(assigned, "dangerous", 3, MONDAY), RULES)
    assert clocks(store, assigned)[Stage.GUARDIANSHIP_DECISION].assignee_code == "140724"
    moved = assigned.model_copy(update={"assignee_code": "140724104", "version": 4, "event_id": assigned.report_id})
    await start_or_move(store, [moved], RULES)
    assert clocks(store, assigned)[Stage.GUARDIANSHIP_DECISION].assignee_code == "140724"
    assert clocks(store, assigned)[Stage.HELPER].assignee_code == "140724104"


async def test_a_new_priority_leaves_the_monitoring_clocks_to_their_level():
    store, assigned = await placed()
    await act_on_clocks(store, assessment(assigned, "fair", 3, MONDAY), RULES)
    before = clocks(store, assigned)[Stage.HELPER].due
    raised = action(assigned, ReferralAction.PRIORITY_CHANGED, 4, MONDAY + timedelta(hours=1), priority=Priority.P1)
    await act_on_clocks(store, raised, RULES)
    assert clocks(store, assigned)[Stage.HELPER].due == before


async def test_a_stored_policy_times_the_monitoring_stages_by_level():
    store, assigned = await placed()
    limits = RULES.policy.limits | {Stage.HELPER: RULES.policy.limits[Stage.HELPER] | {"fair": Limit(hours=48)}}
    rules = Rules(policy=RULES.policy.__class__(2, limits))
    await act_on_clocks(store, assessment(assigned, "fair", 3, MONDAY), rules)
    helper = clocks(store, assigned)[Stage.HELPER]
    assert (helper.due.at - MONDAY, helper.policy_version) == (timedelta(hours=48), 2)


async def test_a_monitored_referral_sent_back_to_the_queue_comes_back_without_restarting_the_monitoring_clocks():
    store, assigned = await placed()
    await act_on_clocks(store, assessment(assigned, "poor", 3, MONDAY), RULES)
    waiting = ReferralUnrouted(
        referral_id=assigned.referral_id,
        report_id=assigned.report_id,
        reason="no_station_covers_division",
        priority=assigned.priority,
        version=4,
        area_code=STATION,
    )
    await wait_for_dispatch(store, [waiting], RULES)
    assert clocks(store, assigned)[Stage.HELPER].status is DeadlineStatus.PAUSED
    again = assigned.model_copy(update={"version": 5, "event_id": assigned.report_id, "reason": "dispatched"})
    await start_or_move(store, [again], RULES)
    assert clocks(store, assigned)[Stage.HELPER].status is DeadlineStatus.PAUSED
    assert clocks(store, assigned)[Stage.FIRST_CONTACT].status is DeadlineStatus.PENDING  # started again
    declined = action(assigned, ReferralAction.DECLINED, 6, MONDAY + timedelta(days=1), status=ReferralStatus.ASSIGNED)
    await act_on_clocks(store, declined, RULES)
    assert clocks(store, assigned)[Stage.HELPER].status is DeadlineStatus.CANCELLED
