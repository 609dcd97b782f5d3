"""Who may ask for more time on a stage, decide on it, or issue a 督办 by hand, and when; and the policy's new
stages for versions stored before they existed. No I/O."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.notification.domain.deadlines import DEFAULT_POLICY, DeadlineStatus
from services.notification.domain.extensions import (
    HeldDeadline,
    check_decision,
    check_request,
    check_supervision,
    supervision_by_hand,
)
from services.notification.domain.policy import from_document, to_document
from services.notification.domain.timers import TimerKind
from shared.domain.access import Principal, Role
from shared.domain.codes import Priority
from shared.domain.problems import Conflict, FieldProblems, Forbidden, NotFound
from shared.domain.referrals import Stage
from shared.events.deadlines import ExtensionDecision

NOW = datetime(2026, 5, 6, 8, 0, tzinfo=UTC)
STATION = Principal("s-1", Role.STATION, "140724104")
CENTRE = Principal("c-1", Role.COUNTY_CENTRE, "140724")
COMMITTEE = Principal("m-1", Role.COMMITTEE, "1407")
HOME_VISIT = HeldDeadline(
    deadline_id=uuid.uuid4(),
    referral_id=uuid.uuid4(),
    report_id=uuid.uuid4(),
    stage=Stage.HOME_VISIT,
    priority=Priority.P2,
    assignee_code="140724104",
    starts_at=NOW - timedelta(hours=24),
    due_at=NOW + timedelta(hours=48),
    status=DeadlineStatus.PENDING,
    area_code=None,
    case_number="晋中-2026-000123",
    pending_extension=None,
)


def test_the_holder_asks_before_the_deadline_for_a_later_time_within_thirty_days():
    later = HOME_VISIT.due_at + timedelta(days=3)
    assert check_request(STATION, HOME_VISIT, later, NOW) is HOME_VISIT
    with pytest.raises(NotFound):
        check_request(Principal("s-2", Role.STATION, "140725103"), HOME_VISIT, later, NOW)
    with pytest.raises(Forbidden):
        check_request(CENTRE, HOME_VISIT, later, NOW)  # the centre sees it but does not hold it
    with pytest.raises(Conflict):
        check_request(STATION, HOME_VISIT, later, HOME_VISIT.due_at + timedelta(minutes=1))
    with pytest.raises(Conflict):
        check_request(STATION, replace(HOME_VISIT, pending_extension=uuid.uuid4()), later, NOW)
    for until, code in ((HOME_VISIT.due_at, "not_later"), (HOME_VISIT.due_at + timedelta(days=31), "too_long")):
        with pytest.raises(FieldProblems) as refused:
            check_request(STATION, HOME_VISIT, until, NOW)
        assert [(p.field, p.code) for p in refused.value.problems] == [("requested_until", code)]


def test_only_the_county_centre_over_the_holder_decides_and_only_once():
    waiting = replace(HOME_VISIT, pending_extension=uuid.uuid4())
    assert check_decision(CENTRE, waiting, ExtensionDecision.APPROVED) is waiting
    for caller in (STATION, COMMITTEE):
        with pytest.raises(Forbidden):
            check_decision(caller, waiting, ExtensionDecision.APPROVED)
    with pytest.raises(NotFound):
        check_decision(Principal("c-2", Role.COUNTY_CENTRE, "140725"), waiting, ExtensionDecision.REFUSED)
    with pytest.raises(Conflict):
        check_decision(CENTRE, HOME_VISIT, ExtensionDecision.APPROVED)  # decided already
    with pytest.raises(Conflict):
        check_decision(CENTRE, replace(waiting, status=DeadlineStatus.MET), ExtensionDecision.APPROVED)
    assert check_decision(CENTRE, replace(waiting, status=DeadlineStatus.MET), ExtensionDecision.REFUSED)


def test_an_approved_time_moves_the_whole_ladder_of_timers():
    until = HOME_VISIT.due_at + timedelta(hours=24)  # 96 h from the start instead of 72 h
    timers = HOME_VISIT.timers_until(until)
    assert timers[TimerKind.REMINDER] == HOME_VISIT.starts_at + timedelta(hours=72)
    assert timers[TimerKind.BREACH] == until
    assert timers[TimerKind.SUPERVISION] == until + timedelta(hours=48)


def test_a_committee_member_supervises_only_an_overdue_open_stage_in_its_area():
    overdue = replace(HOME_VISIT, due_at=NOW - timedelta(hours=1))
    issued = supervision_by_hand(check_supervision(COMMITTEE, overdue, NOW), COMMITTEE, NOW)
    assert (issued.issued_by, issued.notify) == ("committee:m-1", ["station", "county_centre"])
    callback = replace(overdue, stage=Stage.CALLBACK, assignee_code="hotline", area_code="140724104")
    assert supervision_by_hand(callback, COMMITTEE, NOW).notify == ["hotline", "county_centre"]
    with pytest.raises(Conflict):
        check_supervision(COMMITTEE, HOME_VISIT, NOW)
    with pytest.raises(Forbidden):
        check_supervision(CENTRE, overdue, NOW)
    with pytest.raises(NotFound):
        check_supervision(Principal("m-2", Role.COMMITTEE, "4420"), overdue, NOW)


def test_a_policy_version_stored_before_the_new_stages_takes_their_defaults():
    stored = {stage: limits for stage, limits in to_document(DEFAULT_POLICY).items() if stage != "callback"}
    loaded = from_document(stored)
    assert loaded[Stage.CALLBACK] == DEFAULT_POLICY[Stage.CALLBACK]
    assert loaded[Stage.POLICE_NOTICE][Priority.P1].hours == 2
    assert {limit.hours for limit in loaded[Stage.POLICE_FEEDBACK].values()} == {72}
