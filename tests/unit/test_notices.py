"""What notices say and to whom, the retry delays, the SMS request shape and webhook signatures: no I/O."""

import hashlib
import hmac
import uuid
from datetime import timedelta

from services.notification.adapters.channels.sms import filled_template
from services.notification.adapters.channels.webhook import receiver_signing_key, signature
from services.notification.domain.delivery_rules import RetryPolicy
from services.notification.domain.notices import (
    Audience,
    Failure,
    NoticeKind,
    notice_for_assignment,
    notice_for_failure,
    notices_for_alert,
)
from shared.domain.codes import Priority
from shared.events import DeadlineBreached, SupervisionIssued, utcnow
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
    assigned = referral_assigned(priority=Priority.P1, police_required=True, reason="declined")
    notice = notice_for_assignment(assigned)
    assert (notice.audience, notice.about_code, notice.kind) == (Audience.ASSIGNEE, "140724104", NoticeKind.ASSIGNED)
    assert notice.subject.startswith("【退回改派】") and "P1 紧急" in notice.subject
    assert "须报告公安机关" in notice.body and str(assigned.referral_id) in notice.body


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
