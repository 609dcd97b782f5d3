"""The deadline policy of the monitoring stages: keyed by the guardianship assessment level, in the stored
document and in the administrators' change, with limits in working days, days or months."""

from datetime import datetime
from uuid import uuid4

import pytest
from pydantic import ValidationError

from services.notification.domain.deadlines import DEFAULT_POLICY, Limit, due_at, tiers_of
from services.notification.domain.notices import NoticeKind, notices_for_alert
from services.notification.domain.policy import from_document, to_document
from services.notification.entrypoints.http.policy_api import PolicyIn
from shared.domain.codes import Priority
from shared.domain.monitoring import Assessment
from shared.domain.referrals import Stage
from shared.events import DeadlineBreached
from shared.timezones import CHINA


def test_the_monitoring_stages_are_keyed_by_level_and_survive_the_document():
    document = to_document(DEFAULT_POLICY)
    assert document["helper"] == {
        "fair": {"working_days": 10},
        "poor": {"working_days": 5},
        "dangerous": {"working_days": 5},
    }
    assert document["follow_up_visit"] == {"fair": {"months": 1}, "poor": {"days": 14}, "dangerous": {"days": 14}}
    assert document["guardianship_decision"] == {"dangerous": {"hours": 24}}
    assert from_document(document) == DEFAULT_POLICY
    assert tiers_of(Stage.ACKNOWLEDGE) == tuple(Priority)


def test_a_policy_stored_before_the_monitoring_stages_takes_their_defaults():
    document = {stage: limits for stage, limits in to_document(DEFAULT_POLICY).items() if stage != "helper"}
    assert from_document(document)[Stage.HELPER][Assessment.POOR] == Limit(working_days=5)


def test_a_month_ends_on_the_same_day_or_the_last_of_a_shorter_month():
    start = datetime(2027, 1, 31, 9, 30, tzinfo=CHINA)
    assert due_at(start, Limit(months=1)).at == datetime(2027, 2, 28, 9, 30, tzinfo=CHINA)
    assert due_at(start, Limit(months=12)).at == datetime(2028, 1, 31, 9, 30, tzinfo=CHINA)


def test_an_administrator_sets_the_monitoring_stages_by_level_and_nothing_else():
    limits = to_document(DEFAULT_POLICY)
    assert PolicyIn(limits=limits).policy() == DEFAULT_POLICY
    for wrong in (
        {"P1": {"hours": 2}, "P2": {"hours": 2}, "P3": {"hours": 2}},  # by priority
        {"fair": {"days": 30}, "poor": {"days": 14}},  # a level missing
        {"fair": {"days": 30, "months": 1}, "poor": {"days": 14}, "dangerous": {"days": 14}},  # two measures
        {"fair": {"months": 13}, "poor": {"days": 14}, "dangerous": {"days": 14}},
    ):
        with pytest.raises(ValidationError):
            PolicyIn(limits=limits | {"follow_up_visit": wrong})


def test_a_missed_visit_reads_in_chinese():
    breached = DeadlineBreached(
        deadline_id=uuid4(),
        referral_id=uuid4(),
        report_id=uuid4(),
        stage=Stage.FOLLOW_UP_VISIT,
        priority=Priority.P2,
        assignee_code="140724104",
        due_at=datetime(2026, 12, 7, tzinfo=CHINA),
        fire_at=datetime(2026, 12, 7, tzinfo=CHINA),
        notify=["county_centre"],
        late=False,
    )
    [notice] = notices_for_alert(breached)
    assert notice.kind is NoticeKind.BREACH and "随访" in notice.subject and "follow_up" not in notice.body
