"""What notices say and to whom, the retry delays, the SMS request shape and webhook signatures: no I/O."""

import hashlib
import hmac
import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from services.notification.adapters.channels.sms import filled_template
from services.notification.adapters.channels.webhook import receiver_signing_key, signature
from services.notification.domain.delivery_rules import RetryPolicy
from services.notification.domain.failure_notices import Failure, notice_for_failure
from services.notification.domain.notices import (
    Audience,
    CaseLabel,
    NoticeKind,
    notice_for_assignment,
    notices_for_alert,
)
from services.notification.domain.progress_notices import notice_for_progress
from shared.domain.codes import Milestone, Priority
from shared.events import DeadlineBreached, DeadlineReminderDue, ReportProgressed, SupervisionIssued, utcnow
from tests.factories import referral_assigned


def alert(kind, **overrides):
    values = {
        "deadline_id": uuid.uuid4(),
        "referral_id": uuid.uuid4(),
        "report_id": uuid.uuid4(),
        "stage": "acknowledge",
        "priority": Priority.P1,
        "assignee_code": "140724104",
        "due_at": utcnow(),
        "fire_at": utcnow(),
        "late": False,
        "notify": ["county_centre"],
    }
    return kind(**(values | overrides))


def test_an_assignment_is_told_to_its_holder_with_priority_and_police_flag():
    assigned = referral_assigned(
        priority=Priority.P1, police_required=True, reason="declined", case_number="晋中-2026-000123"
    )
    notice = notice_for_assignment(assigned, datetime(2026, 5, 6, 2, 30, tzinfo=UTC))
    assert (notice.audience, notice.about_code, notice.kind) == (Audience.ASSIGNEE, "140724104", NoticeKind.ASSIGNED)
    assert notice.subject == "【退回改派】案件 晋中-2026-000123（P1 紧急）"
    assert "须报告公安机关" in notice.body and str(assigned.referral_id)[:8] not in notice.body
    assert "请于 2026-05-06 10:30（北京时间）前登录系统签收" in notice.body


def test_a_reminder_names_the_case_and_holder_and_a_pending_extension():
    label = CaseLabel("晋中-2026-000123", "大寨镇工作站", extension_pending=True)
    [notice] = notices_for_alert(alert(DeadlineReminderDue, notify=["station"]), label)
    assert "案件 晋中-2026-000123" in notice.subject and notice.body.endswith("延期申请待审批。")
    [breach] = notices_for_alert(alert(DeadlineBreached), label)
    assert "承办单位 大寨镇工作站" in breach.body


def test_a_breach_goes_to_the_centre_and_a_late_one_says_so():
    [notice] = notices_for_alert(alert(DeadlineBreached, late=True))
    assert (notice.audience, notice.kind) == (Audience.COUNTY_CENTRE, NoticeKind.BREACH)
    assert notice.subject.startswith("【逾期】") and "签收" in notice.subject
    assert notice.body.endswith("（系统恢复后补发）")


def test_supervision_goes_to_the_committee():
    [notice] = notices_for_alert(alert(SupervisionIssued, notify=["committee"], stage="home_visit"))
    assert (notice.audience, notice.kind) == (Audience.COMMITTEE, NoticeKind.SUPERVISION)
    assert "【督办】" in notice.subject and "入户走访" in notice.subject


def failure(receiver_code: str, kind: str = "reminder") -> Failure:
    return Failure(uuid.uuid4(), kind, uuid.uuid4(), "140724104", receiver_code, "webhook", 6)


def test_a_failure_climbs_one_level_and_stops_at_the_committee():
    to_centre = notice_for_failure(failure("140724104"))
    to_committee = notice_for_failure(failure("140724"))
    assert (to_centre.audience, to_centre.about_code) == (Audience.COUNTY_CENTRE, "140724104")
    assert (to_committee.audience, to_committee.about_code) == (Audience.COMMITTEE, "140724")
    assert notice_for_failure(failure("committee:140724104")) is None
    assert notice_for_failure(failure("140724", kind="delivery_failed")) is None
    named = notice_for_failure(replace(failure("140724104"), receiver_name="大寨镇工作站"))
    assert "发给 大寨镇工作站（140724104）" in named.subject


def test_a_platform_client_is_told_of_its_work_order_and_nobody_else():
    progressed = ReportProgressed(
        report_id=uuid.uuid4(),
        hotline_ticket_id="GD-1",
        platform_client="jz12345",
        case_number="晋中-2026-000001",
        milestone=Milestone.ACKNOWLEDGED,
        at=utcnow(),
    )
    notice = notice_for_progress(progressed)
    assert (notice.audience, notice.about_code, notice.kind) == (Audience.PLATFORM, "jz12345", NoticeKind.PROGRESS)
    assert json.loads(notice.body)["milestone_name"] == "签收"
    assert notice_for_progress(progressed.model_copy(update={"platform_client": None})) is None
    assert notice_for_progress(progressed.model_copy(update={"milestone": Milestone.RECEIVED})) is None


def test_retry_delays_double_up_to_the_longest():
    policy = RetryPolicy(max_attempts=8, first_delay=timedelta(seconds=30), longest_delay=timedelta(minutes=5))
    delays = [policy.delay_after(attempt).total_seconds() for attempt in range(1, 7)]
    assert delays == [30, 60, 120, 240, 300, 300]


def test_the_sms_template_is_filled_inside_its_values_only():
    template = {"to": "{phone}", "msg": {"text": "{text}", "ref": "id-{notification_id}"}, "tags": ["{phone}", 3]}
    values = {"phone": "13800000000", "text": 'say "hi" {phone}', "notification_id": "abc"}
    assert filled_template(template, values) == {
        "to": "13800000000",
        "msg": {"text": 'say "hi" {phone}', "ref": "id-abc"},  # a value is never expanded again
        "tags": ["13800000000", 3],
    }


def test_each_receiver_has_its_own_signing_key():
    body = b'{"kind": "reminder"}'
    key_a, key_b = receiver_signing_key("secret", "140724104"), receiver_signing_key("secret", "140725103")
    assert key_a != key_b
    assert signature(key_a, body) == "sha256=" + hmac.new(key_a, body, hashlib.sha256).hexdigest()
