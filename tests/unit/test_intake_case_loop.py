"""Intake's rules for following a case, calling back and receipts, without I/O."""

import uuid
from datetime import UTC, datetime, timedelta
from itertools import count

from services.intake.domain.callbacks import Callback, CallbackTarget, callback_problems, checked
from services.intake.domain.case_progress import CaseStatus, action_change, action_entry, shown_status, who
from services.intake.domain.extensions import extension_entry
from services.intake.domain.progress import platform_client_of, progressed
from services.intake.domain.receipts import (
    ALPHABET,
    ReceiptStatus,
    check_character,
    is_well_formed,
    new_receipt_number,
    normalise_receipt,
    phone_hash,
    phone_matches,
    receipt_answer,
    shown,
)
from shared.domain.access import Principal, Role
from shared.domain.codes import Milestone, Priority, Satisfaction
from shared.domain.outcomes import Outcome
from shared.domain.problems import FieldProblems
from shared.domain.rate_limits import RateLimit
from shared.domain.referrals import ReferralAction, ReferralStatus, Stage
from shared.events import DeadlineExtension, ReferralActionRecorded
from shared.events.deadlines import ExtensionDecision

NOW = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)


def recorded(kind: ReferralAction, **values) -> ReferralActionRecorded:
    fields = {
        "referral_id": uuid.uuid4(),
        "report_id": uuid.uuid4(),
        "version": 3,
        "action": kind,
        "actor": "station:140724104",
        "at": NOW,
        "status": ReferralStatus.ACKNOWLEDGED,
        "assignee_code": "140724104",
        "priority": Priority.P2,
    }
    return ReferralActionRecorded(**(fields | values))


def test_each_step_of_a_station_is_a_status_and_the_platform_hears_of_three():
    assert action_change(recorded(ReferralAction.HOME_VISIT_RECORDED)).status is CaseStatus.VISITED
    assert action_change(recorded(ReferralAction.POLICE_FEEDBACK_RECORDED)).status is CaseStatus.POLICE_FEEDBACK
    assert action_change(recorded(ReferralAction.CONTACT_RECORDED)).milestone is None
    closed = action_change(
        recorded(ReferralAction.CLOSED, status=ReferralStatus.CLOSED, detail={"outcome": "resolved"})
    )
    assert (closed.status, closed.outcome, closed.milestone) == (CaseStatus.CLOSED, Outcome.RESOLVED, Milestone.CLOSED)
    assert action_change(recorded(ReferralAction.REOPENED)).milestone is Milestone.REOPENED


def test_a_priority_change_keeps_the_status_and_a_move_puts_the_case_back_with_a_holder():
    raised = action_change(recorded(ReferralAction.PRIORITY_RAISED, priority=Priority.P1))
    assert raised.status is None and raised.priority is Priority.P1
    moved = action_change(recorded(ReferralAction.DECLINED, status=ReferralStatus.ASSIGNED))
    assert moved.status is CaseStatus.ROUTED
    queued = action_change(recorded(ReferralAction.DECLINED, status=ReferralStatus.UNROUTED))
    assert queued.status is CaseStatus.UNROUTED


def test_an_unknown_outcome_is_no_outcome():
    odd = action_change(recorded(ReferralAction.CLOSED, status=ReferralStatus.CLOSED, detail={"outcome": "gone"}))
    assert odd.status is CaseStatus.CLOSED and odd.outcome is None


def test_a_linked_report_says_linked_until_its_case_is_under_way():
    assert shown_status(None, "linked") is CaseStatus.LINKED
    assert shown_status(CaseStatus.ROUTED, "linked") is CaseStatus.LINKED
    assert shown_status(CaseStatus.CLOSED, "linked") is CaseStatus.CLOSED
    assert shown_status(CaseStatus.ACKNOWLEDGED, "routed") is CaseStatus.ACKNOWLEDGED


def test_who_took_a_step_is_the_holder_by_name_or_a_kind_of_body_never_a_person():
    assert who("station:140724104", "140724104", "大寨镇工作站") == "大寨镇工作站"
    assert who("station:140724105", "140724104", "大寨镇工作站") == "工作站"
    assert who("county_centre:140724", "140724104", "大寨镇工作站") == "县级救助保护中心"
    assert who("李四:13800001111", None, None) is None and who(None, None, None) is None
    entry = action_entry(recorded(ReferralAction.CLOSED, detail={"outcome": "no_risk_found"}), "140724104", "站")
    assert (entry.who, entry.detail, entry.who_code) == ("站", Outcome.NO_RISK_FOUND.label, None)


def test_a_step_recorded_before_its_placement_keeps_the_station_code_for_the_name_to_come():
    early = action_entry(recorded(ReferralAction.ACKNOWLEDGED), None, None)
    assert (early.who, early.who_code) == ("工作站", "140724104")
    by_centre = action_entry(recorded(ReferralAction.ACKNOWLEDGED, actor="county_centre:140724"), None, None)
    assert (by_centre.who, by_centre.who_code) == ("县级救助保护中心", None)


def test_the_outcome_in_words_for_the_reporter_goes_with_the_closing_only():
    report = uuid.uuid4()
    closed = progressed(report, "GD1", "12345-a", "晋中-2026-000001", Milestone.CLOSED, NOW, Outcome.RESOLVED)
    assert closed.outcome_text == Outcome.RESOLVED.reporter_text
    assert progressed(report, None, None, None, Milestone.ACKNOWLEDGED, NOW, Outcome.RESOLVED).outcome_text is None


def test_only_a_platform_token_names_a_platform_client():
    platform = Principal("service-account-1", Role.OPERATOR, "1407", platform_client="12345-jinzhong")
    assert platform_client_of(platform) == "12345-jinzhong"
    assert platform_client_of(Principal("operator-1", Role.OPERATOR, "1407")) is None
    assert platform_client_of(Principal("x", Role.STATION, "140724104", platform_client="12345-jinzhong")) is None


def test_satisfaction_is_said_when_and_only_when_the_reporter_was_reached():
    received = NOW - timedelta(days=3)
    fields = lambda callback, at=NOW: [problem.field for problem in callback_problems(callback, at, received)]  # noqa: E731
    assert fields(Callback(True, Satisfaction.SATISFIED, None, None)) == []
    assert fields(Callback(False, None, "没人接", None)) == []
    assert fields(Callback(True, None, None, None)) == ["satisfaction"]
    assert fields(Callback(False, Satisfaction.DISSATISFIED, None, None)) == ["satisfaction"]
    assert fields(Callback(False, None, None, None), received - timedelta(minutes=1)) == ["at"]
    target = CallbackTarget(uuid.uuid4(), received, None, None)
    assert checked(Callback(False, None, None, None), target, NOW) == NOW
    try:
        checked(Callback(True, None, None, received - timedelta(days=1)), target, NOW)
    except FieldProblems as error:
        assert {problem.field for problem in error.problems} == {"satisfaction", "at"}
    else:
        raise AssertionError("a callback against the rules was taken")


def test_a_receipt_number_is_twelve_characters_nobody_mixes_up_and_a_slip_is_caught():
    numbers = iter(count())
    number = new_receipt_number(lambda n: next(numbers) * 7 % n)
    assert len(number) == 12 and set(number) <= set(ALPHABET) and not set(number) & set("0O1I")
    assert is_well_formed(number) and normalise_receipt(shown(number).lower()) == number
    body = number[:-1]
    for place in range(len(body)):
        for other in ALPHABET:
            if other != body[place]:
                assert not is_well_formed(body[:place] + other + body[place + 1 :] + number[-1])
        swapped = body[:place] + body[place + 1 : place + 2] + body[place] + body[place + 2 :]
        if swapped != body and place + 1 < len(body):
            assert check_character(swapped) != check_character(body), (body, place)


def test_a_phone_is_matched_by_its_keyed_hash_only():
    stored = phone_hash(b"key", "13912345678")
    assert "13912345678" not in stored and phone_matches(stored, b"key", "13912345678")
    assert not phone_matches(stored, b"key", "13912345679") and not phone_matches(stored, b"other", "13912345678")
    assert not phone_matches(None, b"key", "13912345678")


def test_a_lookup_answers_three_steps_in_words_with_the_day_in_china():
    late_evening = datetime(2026, 5, 1, 17, 0, tzinfo=UTC)  # 2 May in China
    answer = receipt_answer(Milestone.REOPENED, late_evening)
    assert (answer.status, answer.status_text, answer.date) == (ReceiptStatus.BEING_HANDLED, "正在办理", "2026-05-02")
    assert receipt_answer(Milestone.CLOSED, NOW).status_text == "已办结"


def test_lookups_are_limited_per_key_within_the_window():
    limit = RateLimit(3, timedelta(minutes=1))
    assert [limit.allow("10.0.0.1", NOW) for _ in range(4)] == [True, True, True, False]
    assert limit.allow("10.0.0.2", NOW)
    assert limit.allow("10.0.0.1", NOW + timedelta(minutes=1, seconds=1))


def test_a_deadline_extension_is_on_the_timeline_with_its_stage_and_new_time_in_words():
    asked = DeadlineExtension(
        extension_id=uuid.uuid4(),
        deadline_id=uuid.uuid4(),
        referral_id=uuid.uuid4(),
        report_id=uuid.uuid4(),
        stage=Stage.HOME_VISIT,
        assignee_code="140724104",
        due_at=NOW,
        requested_until=datetime(2026, 5, 3, 10, 0, tzinfo=UTC),
        decision=ExtensionDecision.PENDING,
        at=NOW,
    )
    entry = extension_entry(asked, "140724104", "大寨镇工作站")
    assert (entry.what, entry.who, entry.detail) == (
        "extension_pending",
        "大寨镇工作站",
        "入户走访延期至2026-05-03 18:00",
    )
    approved = extension_entry(asked.model_copy(update={"decision": ExtensionDecision.APPROVED}), None, None)
    assert (approved.what, approved.who) == ("extension_approved", "县级救助保护中心")
    assert (extension_entry(asked, None, None).who_code, entry.who_code) == ("140724104", None)
