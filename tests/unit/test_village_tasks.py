"""Tasks handed to a village's child director, and what the director may see and do: pure rules, no I/O."""

from dataclasses import replace
from datetime import timedelta
from io import StringIO
from uuid import uuid4

import pytest

from services.referral.adapters.csv_rows import parse_rows
from services.referral.application.acting import Act
from services.referral.domain.case_codes import ContactMethod
from services.referral.domain.changes import ActionContext, DirectorNeeded, TaskDone
from services.referral.domain.gazetteer import Gazetteer
from services.referral.domain.referral import Referral
from services.referral.domain.village_directors import DirectorIn, director_problems, listing_for
from services.referral.entrypoints.http.action_requests import FollowUpVisit, HandTask
from shared.domain.access import KnownScopes, Principal, Role, scope_fits
from shared.domain.codes import AssigneeKind, Priority
from shared.domain.monitoring import TaskKind
from shared.domain.problems import Conflict, FieldProblems, Forbidden, NotFound
from shared.domain.referrals import ReferralAction, ReferralStatus
from shared.events import ReferralActionRecorded, utcnow
from tests.fakes.referral_repositories import InMemoryTransactions
from tests.unit.test_referral_use_cases import GAZETTEER, STATIONS

DAZHAI, DAZHAI_VILLAGE, OTHER_VILLAGE = "140724104", "140724104200", "140724104201"
ELSEWHERE = "140725103200"  # a village of 寿阳县平头镇
STATION = Principal("s-1", Role.STATION, DAZHAI, "李娜")
DIRECTOR = Principal("v-1", Role.VILLAGE, DAZHAI_VILLAGE, "贾玉兰")
NEIGHBOUR = Principal("v-2", Role.VILLAGE, OTHER_VILLAGE, "宋建华")


def referral(status=ReferralStatus.ACKNOWLEDGED, **overrides) -> Referral:
    now = utcnow()
    values = dict(
        referral_id=uuid4(), report_id=uuid4(), status=status, assignee_code=DAZHAI,
        assignee_kind=AssigneeKind.STATION, assignee_name="大寨镇工作站", priority=Priority.P2,
        police_required=False, routing_reason="resolved", division_code=DAZHAI, created_at=now,
        received_at=now - timedelta(hours=2), updated_at=now, version=1, child_key=None, match_method=None,
        candidates=[], decline_count=0, report_count=1, acknowledged_at=now, first_contact_at=None,
        home_visit_at=None, assessed_at=None, assessment=None, police_notified_at=None, closed_at=None,
        outcome=None, child_division_code=DAZHAI_VILLAGE,
    )  # fmt: skip
    return Referral(**values | overrides)


def context(caller: Principal) -> ActionContext:
    return ActionContext(caller, utcnow(), Gazetteer([]))


def field_of(error: FieldProblems) -> list[tuple[str, str]]:
    return [(problem.field, problem.code) for problem in error.problems]


# Handing a task


def test_a_station_hands_a_contact_to_the_childs_own_village():
    needed = HandTask(kind=TaskKind.CONTACT).apply(referral(), context(STATION))
    assert isinstance(needed, DirectorNeeded) and needed.village_code == DAZHAI_VILLAGE
    change = needed.then(True)
    assert change.action is ReferralAction.TASK_HANDED
    assert change.detail == {"task_id": str(change.task.task_id), "kind": "contact", "village_code": DAZHAI_VILLAGE}
    assert change.fields == {}


def test_a_village_without_an_active_director_is_refused_naming_the_village():
    needed = referral().hand_task(context(STATION), TaskKind.HOME_VISIT, OTHER_VILLAGE)
    with pytest.raises(FieldProblems) as refused:
        needed.then(False)
    assert field_of(refused.value) == [("village_code", "no_director")]


@pytest.mark.parametrize("village, child_village", [(ELSEWHERE, DAZHAI_VILLAGE), (None, DAZHAI), (None, None)])
def test_the_village_must_lie_in_the_stations_township(village, child_village):
    with pytest.raises(FieldProblems) as refused:
        referral(child_division_code=child_village).hand_task(context(STATION), TaskKind.CONTACT, village)
    assert field_of(refused.value) == [("village_code", "village_outside_township")]


def test_one_open_task_of_a_kind_at_a_time():
    handed = referral(open_tasks=((TaskKind.CONTACT, OTHER_VILLAGE),))
    with pytest.raises(Conflict):
        handed.hand_task(context(STATION), TaskKind.CONTACT)
    assert isinstance(handed.hand_task(context(STATION), TaskKind.HOME_VISIT), DirectorNeeded)


def test_a_follow_up_visit_is_handed_under_monitoring_only_and_only_by_the_holding_station():
    with pytest.raises(Conflict):
        referral().hand_task(context(STATION), TaskKind.FOLLOW_UP_VISIT)
    monitored = referral(ReferralStatus.MONITORING)
    assert monitored.hand_task(context(STATION), TaskKind.FOLLOW_UP_VISIT).village_code == DAZHAI_VILLAGE
    with pytest.raises(Conflict):
        monitored.hand_task(context(STATION), TaskKind.CONTACT)
    held_by_centre = referral(assignee_code="140724", assignee_kind=AssigneeKind.COUNTY_CENTRE)
    with pytest.raises(Forbidden):
        held_by_centre.hand_task(context(Principal("c-1", Role.COUNTY_CENTRE, "140724")), TaskKind.CONTACT)


def test_a_hostile_task_body_is_refused_by_field():
    for body in ({"kind": "chat"}, {"kind": "contact", "village_code": "14072410420\x00"}, {"kind": 1}):
        with pytest.raises(ValueError):
            HandTask.model_validate(body)


# The director's side


def test_the_director_sees_a_referral_only_while_its_village_has_an_open_task():
    tasked = referral(open_tasks=((TaskKind.CONTACT, DAZHAI_VILLAGE),))
    assert tasked.visible_to(DIRECTOR)
    assert not tasked.visible_to(NEIGHBOUR)
    assert not referral().visible_to(DIRECTOR)
    assert not replace(tasked, status=ReferralStatus.CLOSED).visible_to(DIRECTOR)


def test_the_directors_contact_completes_the_stage_and_closes_its_task():
    tasked = referral(open_tasks=((TaskKind.CONTACT, DAZHAI_VILLAGE),))
    acting = context(DIRECTOR)
    change = tasked.record_contact(acting, method=ContactMethod.PHONE)
    assert change.action is ReferralAction.CONTACT_RECORDED
    assert change.task == TaskDone(TaskKind.CONTACT, DAZHAI_VILLAGE)
    assert "first_contact_at" in change.fields and "assignee_code" not in change.fields
    assert acting.actor == f"village:{DAZHAI_VILLAGE}"
    assert tasked.record_contact(context(STATION), method=ContactMethod.PHONE).task is None  # the station's own step


def test_the_director_takes_only_the_step_it_was_handed():
    tasked = referral(open_tasks=((TaskKind.HOME_VISIT, DAZHAI_VILLAGE),))
    with pytest.raises(Forbidden):
        tasked.record_contact(context(DIRECTOR), method=ContactMethod.PHONE)
    assert tasked.record_home_visit(context(DIRECTOR)).task == TaskDone(TaskKind.HOME_VISIT, DAZHAI_VILLAGE)
    with pytest.raises(NotFound):
        tasked.record_home_visit(context(NEIGHBOUR))
    with pytest.raises(NotFound):
        tasked.acknowledge(context(NEIGHBOUR))


def test_a_directors_scope_fits_only_a_village_with_an_active_director():
    directory = KnownScopes(villages=frozenset({DAZHAI_VILLAGE}))
    assert scope_fits(DIRECTOR, directory)
    assert not scope_fits(NEIGHBOUR, directory)
    assert not scope_fits(replace(DIRECTOR, scope=DAZHAI), KnownScopes(villages=frozenset({DAZHAI})))


# The directory


def test_a_director_is_taken_for_a_village_of_the_tree_only():
    director = DirectorIn(village_code=DAZHAI_VILLAGE, name="贾玉兰")
    assert director_problems(director, {DAZHAI_VILLAGE: "village"}) == []
    assert [p.code for p in director_problems(director, {})] == ["unknown_village"]
    assert [p.code for p in director_problems(director, None)] == ["unknown_village"]
    assert [p.field for p in director_problems(director, {DAZHAI_VILLAGE: "township"})] == ["village_code"]


def test_the_csv_reports_each_bad_row_by_line_and_field():
    rows = StringIO(
        "village_code,name,phone\n"
        f"{DAZHAI_VILLAGE},贾玉兰,13934401200\n"
        "14072410420,宋建华,\n"
        f"{OTHER_VILLAGE},宋\x00建华,\n"
        f"{OTHER_VILLAGE},宋建华,123\n"
        f"{DAZHAI_VILLAGE},郭秀英,\n"
    )
    directors, problems = parse_rows(rows, DirectorIn, "village_code")
    assert [line for line, _ in directors] == [2, 6]
    assert [(p.line, p.problem.field) for p in problems] == [
        (3, "village_code"),
        (4, "name"),
        (5, "phone"),
        (6, "village_code"),
    ]
    assert all("宋" not in str(problem) for problem in problems)


def test_a_station_lists_its_own_townships_directors_without_phones():
    assert listing_for(STATION, None) == (DAZHAI, False)
    assert listing_for(Principal("a", Role.ADMIN, ""), None) == (None, True)
    with pytest.raises(NotFound):
        listing_for(STATION, "140725103")
    with pytest.raises(NotFound):
        listing_for(DIRECTOR, None)


def test_the_directors_follow_up_visit_names_its_village_and_closes_its_task():
    tasked = referral(ReferralStatus.MONITORING, open_tasks=((TaskKind.FOLLOW_UP_VISIT, DAZHAI_VILLAGE),))
    change = FollowUpVisit().apply(tasked, context(DIRECTOR))
    assert change.action is ReferralAction.FOLLOW_UP_VISIT_RECORDED
    assert change.detail["village_code"] == DAZHAI_VILLAGE
    assert change.task == TaskDone(TaskKind.FOLLOW_UP_VISIT, DAZHAI_VILLAGE)
    assert "village_code" not in FollowUpVisit().apply(tasked, context(STATION)).detail
    with pytest.raises(NotFound):
        FollowUpVisit().apply(tasked, context(NEIGHBOUR))


# Through the use case


async def test_a_handed_task_is_stored_and_the_directors_visit_closes_it_in_the_same_transaction():
    storage = InMemoryTransactions(STATIONS)
    storage.rows.directors.add(DAZHAI_VILLAGE)
    act = Act(storage, lambda: GAZETTEER)
    opened = referral(status=ReferralStatus.ACKNOWLEDGED)
    storage.rows.referrals[opened.referral_id] = opened
    await act(opened.referral_id, STATION, HandTask(kind=TaskKind.HOME_VISIT, village_code=DAZHAI_VILLAGE).apply)
    assert storage.rows.referrals[opened.referral_id].open_tasks == ((TaskKind.HOME_VISIT, DAZHAI_VILLAGE),)
    with pytest.raises(FieldProblems):
        await act(opened.referral_id, STATION, HandTask(kind=TaskKind.CONTACT, village_code=OTHER_VILLAGE).apply)
    visited = await act(opened.referral_id, DIRECTOR, lambda r, c: r.record_home_visit(c))
    assert visited.open_tasks == () and visited.home_visit_at and visited.assignee_code == DAZHAI
    [*_, event] = [event for event, _ in storage.rows.outbox if isinstance(event, ReferralActionRecorded)]
    assert (event.action, event.actor, event.assignee_code) == (
        ReferralAction.HOME_VISIT_RECORDED,
        f"village:{DAZHAI_VILLAGE}",
        DAZHAI,
    )
    assert storage.rows.history[-1].detail["by"] == "贾玉兰" and "贾玉兰" not in event.model_dump_json()


async def test_a_referral_that_moves_away_closes_its_villages_tasks():
    storage = InMemoryTransactions(STATIONS)
    storage.rows.directors.add(DAZHAI_VILLAGE)
    act = Act(storage, lambda: GAZETTEER)
    opened = referral(status=ReferralStatus.ACKNOWLEDGED)
    storage.rows.referrals[opened.referral_id] = opened
    await act(opened.referral_id, STATION, HandTask(kind=TaskKind.CONTACT, village_code=DAZHAI_VILLAGE).apply)
    centre = Principal("c-1", Role.COUNTY_CENTRE, "140724")
    moved = await act(opened.referral_id, centre, lambda r, c: r.reassign(c, "140724", "由中心直接办理"))
    assert moved.assignee_code == "140724" and moved.open_tasks == ()
    assert not moved.visible_to(DIRECTOR)
