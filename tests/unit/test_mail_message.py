"""An e-mail notice's bytes, read back by Python's email parser: the same subject, body and headers."""

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from uuid import uuid4

import pytest

from services.notification.adapters.channels.mail import EmailChannel
from services.notification.adapters.channels.mail_message import mailbox, message_bytes, message_id
from services.notification.adapters.channels.sending import DeliveryFailed, Outgoing
from shared.timezones import CHINA

SENT = datetime(2026, 12, 3, 1, 12, 5, tzinfo=UTC).astimezone(CHINA)
SUBJECT = "【逾期】CP-2026-140724-000123 签收（P1 紧急）大寨镇未成年人保护工作站逾期未签收，请督促办理😀"
BODY = "大寨镇未成年人保护工作站：\n案件已于 2026-12-03 09:12（北京时间）逾期。\n\n.请及时办理。"


def parsed(subject: str = SUBJECT, body: str = BODY, sender: str = "noreply@child-protection.invalid"):
    notification_id = uuid4()
    raw = message_bytes(
        mailbox(sender)[1], "dazhai@example.org", subject, body, message_id(notification_id, "cp-notification"), SENT
    )
    return raw, message_from_bytes(raw, policy=policy.default), notification_id


def test_a_notice_reads_back_with_its_subject_body_date_and_ids():
    raw, message, notification_id = parsed()
    assert message["Subject"] == SUBJECT
    assert message.get_content().splitlines() == BODY.splitlines()
    assert message.get_content_type() == "text/plain" and message.get_content_charset() == "utf-8"
    assert parsedate_to_datetime(message["Date"]) == SENT
    assert message["Date"] == "Thu, 03 Dec 2026 09:12:05 +0800"
    assert message["Message-ID"] == f"<{notification_id}@cp-notification>"
    assert (message["From"], message["To"]) == ("noreply@child-protection.invalid", "dazhai@example.org")
    assert message.defects == [] and all(not part.defects for part in message.walk())


def test_the_bytes_are_seven_bit_lines_of_crlf_short_enough_for_any_server():
    raw, _, _ = parsed()
    assert raw.isascii() and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 76


@pytest.mark.parametrize(
    "subject",
    ["Short ASCII subject", "", "=?utf-8?b?5Lit?= looks encoded", "  spaced  out ", "a" * 200, "两行\r\n标题"],
)
def test_any_subject_comes_back_as_it_was_given(subject):
    _, message, _ = parsed(subject=subject)
    assert message["Subject"] == subject


def test_a_subject_with_line_breaks_adds_no_header():
    raw, message, _ = parsed(subject="x\r\nBcc: someone@example.org")
    assert message["Bcc"] is None and raw.count(b"\r\nBcc:") == 0


@pytest.mark.parametrize(
    ("body", "read_back"),
    [
        ("", "\r\n"),
        ("one line", "one line\r\n"),
        ("甲\r\n乙\r丙\n", "甲\r\n乙\r\n丙\r\n"),
        ("\u2028不分行", "\u2028不分行\r\n"),
    ],
)
def test_a_body_comes_back_with_its_lines_ending_in_crlf(body, read_back):
    _, message, _ = parsed(body=body)
    assert message.get_content() == read_back


def test_a_sender_with_a_name_is_encoded_and_the_envelope_takes_the_address():
    _, message, _ = parsed(sender="儿童保护平台 <noreply@child-protection.invalid>")
    assert message["From"].addresses[0].display_name == "儿童保护平台"
    assert mailbox("儿童保护平台 <noreply@child-protection.invalid>")[0] == "noreply@child-protection.invalid"


@pytest.mark.parametrize(
    "address", ["dazhai@example.org\r\nBcc: x@example.org", "da zhai@example.org", "<a@b.org>", ""]
)
async def test_an_address_that_could_add_headers_or_commands_fails_the_attempt(address):
    channel = EmailChannel("127.0.0.1", 9, "noreply@child-protection.invalid", timeout=1)
    notice = Outgoing(uuid4(), "assigned", None, "140724104", address, SUBJECT, BODY)
    with pytest.raises(DeliveryFailed) as failure:
        await channel.send(notice)
    assert failure.value.reason == "address_unusable"
    assert channel.connections.opened == 0
