"""Which notifications may be sent again, and dead letters as the supervisors are shown them."""

from dataclasses import replace
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from services.notification.domain.dead_letters import DeadLetterEntry, reason_in_words, shown_to
from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.delivery_rules import Notification, NotificationStatus, check_resendable
from services.notification.domain.notices import NoticeKind
from shared.domain.access import Principal, Role
from shared.domain.problems import Conflict

NOW = datetime(2026, 12, 3, tzinfo=UTC)
DEAD = Notification(
    notification_id=uuid4(),
    cause_event_id=uuid4(),
    kind=NoticeKind.ASSIGNED,
    referral_id=uuid4(),
    assignee_code="140724104",
    receiver_code="140724104",
    channel=DeliveryChannel.WEBHOOK,
    address="https://station.example.org/hook",
    subject="s",
    body="b",
    status=NotificationStatus.DEAD,
    attempts=6,
    next_attempt_at=NOW,
    created_at=NOW,
    delivered_at=None,
)


def test_a_dead_notification_may_be_sent_again():
    check_resendable(DEAD)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": NotificationStatus.PENDING}, "not_dead"),
        ({"status": NotificationStatus.DELIVERED}, "not_dead"),
        ({"channel": DeliveryChannel.NONE, "address": ""}, "no_channel"),
    ],
)
def test_only_a_dead_notification_with_an_address_may(change, code):
    with pytest.raises(Conflict) as refused:
        check_resendable(replace(DEAD, **change))
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (
            "invalid ReportReceived: child.age: int_parsing; <message>: missing",
            "事件 ReportReceived 的内容不合格：字段 child.age 不合规定（int_parsing）；整条消息缺少（missing）",
        ),
        (
            "invalid ReferralAssigned: <message>: json_invalid",
            "事件 ReferralAssigned 的内容不合格：整条消息不是有效的 JSON（json_invalid）",
        ),
        ("handler failed: KeyError", "处理该事件时出错（KeyError），已搁置，待查明原因后重放"),
        ("unknown", "原因不明（unknown）"),
    ],
)
def test_why_a_letter_was_set_aside_is_said_in_words(error, words):
    assert reason_in_words(error) == words


def entry(holder: str | None) -> DeadLetterEntry:
    return DeadLetterEntry(
        "referrals.assigned.v1.dead-letter", 0, 1, NOW, "referrals.assigned.v1", "g", "unknown",
        None, None, None, None, holder,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("caller", "holder", "shown"),
    [
        (Principal("a", Role.ADMIN, ""), "440301001", True),
        (Principal("o", Role.OPERATOR, "1407"), "140724104", True),
        (Principal("o", Role.OPERATOR, "1407"), "440301001", False),
        (Principal("o", Role.OPERATOR, "1407"), None, True),  # about no known case: the whole hotline's
    ],
)
def test_an_operator_sees_its_area_s_dead_letters_and_those_of_no_known_case(caller, holder, shown):
    assert shown_to(caller, entry(holder)) is shown
