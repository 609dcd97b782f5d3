"""Stuck reports without I/O: what a dead letter says of itself, which topics are watched, the health warning,
the announcement and the notice to the hotline supervisors."""

import json
import uuid
from datetime import UTC, datetime

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker, TestKafkaBroker

from services.intake.domain.stuck import (
    NOT_WATCHED,
    NOTHING_STUCK,
    WATCHED_TOPICS,
    StuckCounts,
    StuckMark,
    announcement,
    first_per_report,
)
from services.notification.domain.notices import Audience, NoticeKind
from services.notification.domain.stuck_notices import notice_for_stuck
from shared.dead_letter_watch import LONGEST_HEADER, DeadLetterSeen, about, seen, watch_dead_letters
from shared.domain.codes import StuckReason
from shared.events import CallbackRecorded, DeadlineExtension, Event, ReportProgressed, ReportStuck
from shared.topics import dead_letter_topic

REPORT, EVENT = uuid.uuid4(), uuid.uuid4()


def record(value: bytes | None, headers: list[tuple[str, bytes]] | None = None, timestamp: int = 1_700_000_000_000):
    topic = dead_letter_topic("reports.received.v1")
    return ConsumerRecord(topic, 3, 42, timestamp, 0, b"key", value, None, 3, len(value or b""), headers or [])


def test_a_dead_letter_names_its_report_and_event_when_its_body_does():
    body = json.dumps({"report_id": str(REPORT), "event_id": str(EVENT), "child": {"name": "王小花"}}).encode()
    assert about(body) == (REPORT, EVENT)


def test_a_body_that_names_no_report_is_about_no_report():
    for body in (
        None,
        b"",
        b'{"event_id": "cut off',
        b"\xff\xfe not utf-8",
        b"[1, 2]",
        b'"a string"',
        b"[" * 100_000,  # deeper than the parser goes
        json.dumps({"report_id": 12}).encode(),
        json.dumps({"report_id": "not-a-uuid", "event_id": None}).encode(),
    ):
        assert about(body) == (None, None), body


def test_what_is_seen_of_a_dead_letter_is_its_place_its_source_and_its_error_never_its_body():
    headers = [
        ("error", b"handler failed: OverflowError"),
        ("source_topic", b"reports.received.v1"),
        ("consumer_group", b"referral"),
    ]
    letter = seen(record(json.dumps({"report_id": str(REPORT), "narrative": "秘密"}).encode(), headers))
    assert (letter.topic, letter.partition, letter.offset) == ("reports.received.v1.dead-letter", 3, 42)
    assert (letter.error, letter.source_topic, letter.consumer_group) == (
        "handler failed: OverflowError",
        "reports.received.v1",
        "referral",
    )
    assert letter.report_id == REPORT and letter.event_id is None
    assert letter.at == datetime.fromtimestamp(1_700_000_000, UTC)
    assert "秘密" not in repr(letter)


def test_headers_anyone_could_write_become_text_a_column_holds_without_personal_data():
    headers = [("error", b"bad\x00value \xff 13812345678 " + b"x" * 1000), ("consumer_group", b"\x07group")]
    letter = seen(record(b"not json", headers, timestamp=10**18))
    assert "\x00" not in letter.error and "\x07" not in (letter.consumer_group or "")
    assert "13812345678" not in letter.error and len(letter.error) == LONGEST_HEADER
    assert letter.source_topic is None and letter.at.year >= 2024  # an impossible time is taken as now
    assert seen(record(b"{}")).error == "unknown"


def test_every_event_about_a_report_is_watched_except_those_whose_loss_leaves_it_no_worse_off():
    def subclasses(kind: type) -> set[type]:
        return {sub for direct in kind.__subclasses__() for sub in {direct, *subclasses(direct)}}

    about_reports = {
        event.TOPIC for event in subclasses(Event) if "report_id" in event.model_fields and hasattr(event, "TOPIC")
    }
    unwatched = {event.TOPIC for event in NOT_WATCHED}
    assert set(WATCHED_TOPICS) == about_reports - unwatched
    assert unwatched == {ReportStuck.TOPIC, DeadlineExtension.TOPIC}
    assert {ReportProgressed.TOPIC, CallbackRecorded.TOPIC} <= set(WATCHED_TOPICS)


def mark(reason=StuckReason.DEAD_LETTERED, report_id=REPORT, **overrides) -> StuckMark:
    values = {
        "since": datetime(2024, 5, 1, 2, 3, tzinfo=UTC),
        "error": "handler failed: OverflowError",
        "source_topic": "reports.received.v1",
        "consumer_group": "referral",
    }
    return StuckMark(report_id=report_id, reason=reason, **(values | overrides))


def test_the_first_dead_letter_about_a_report_says_why_it_is_stuck():
    other = uuid.uuid4()
    first, second, third = mark(), mark(error="later"), mark(report_id=other)
    assert first_per_report([first, second, third]) == [first, third]


def test_the_health_warning_counts_stuck_reports_and_dead_letters_about_no_report():
    assert NOTHING_STUCK.warning() is None
    warning = StuckCounts({StuckReason.DEAD_LETTERED: 1, StuckReason.NO_REFERRAL: 2}, strays=4).warning()
    assert "3 report(s) stuck (dead_lettered 1, no_referral 2)" in warning and "/v1/reports/stuck" in warning
    assert "4 dead letter(s) about no known report" in warning
    assert StuckCounts({StuckReason.NO_REFERRAL: 0}, strays=0).warning() is None


def test_the_announcement_carries_codes_and_times_only():
    stuck = announcement(mark(), "GD2024050100001")
    assert (stuck.report_id, stuck.reason, stuck.hotline_ticket_id) == (
        REPORT,
        StuckReason.DEAD_LETTERED,
        "GD2024050100001",
    )
    assert set(ReportStuck.model_fields) == {
        "event_id",
        "occurred_at",
        "schema_version",
        "report_id",
        "hotline_ticket_id",
        "reason",
        "since",
        "error",
        "source_topic",
        "consumer_group",
    }


def test_the_hotline_is_told_which_report_why_and_since_when_in_beijing_time():
    dead = notice_for_stuck(announcement(mark(), "GD2024050100001"))
    assert (dead.kind, dead.audience, dead.referral_id) == (NoticeKind.STUCK, Audience.HOTLINE, None)
    assert dead.subject == "【报告滞留】工单 GD2024050100001（处理失败被搁置）"
    assert "自 2024-05-01 10:03（北京时间）起处理失败" in dead.body
    assert "handler failed: OverflowError" in dead.body and str(REPORT) in dead.body

    waiting = ReportStuck(
        report_id=REPORT,
        reason=StuckReason.NO_REFERRAL,
        since=datetime(2024, 5, 1, 23, 30, tzinfo=UTC),
        occurred_at=datetime(2024, 5, 1, 23, 32, tzinfo=UTC),
    )
    told = notice_for_stuck(waiting)
    assert told.subject == f"【报告滞留】报告 {str(REPORT)[:8]}（超时未转介）"
    assert "于 2024-05-02 07:30（北京时间）受理，至 2024-05-02 07:32 仍未转介" in told.body


async def test_the_watcher_hands_on_each_dead_letter_of_the_topics_it_watches():
    broker, handed = KafkaBroker(), []

    async def handle(letters: list[DeadLetterSeen]) -> None:
        handed.extend(letters)

    watch_dead_letters(broker, ["reports.received.v1", "referrals.assigned.v1"], "unit-dead-letters", handle)
    body = json.dumps({"report_id": str(REPORT)}).encode()
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(body, "reports.received.v1.dead-letter", headers={"error": "handler failed: X"})
        await test_broker.publish(b"not json", "referrals.assigned.v1.dead-letter")

    assert [(letter.topic, letter.report_id, letter.error) for letter in handed] == [
        ("reports.received.v1.dead-letter", REPORT, "handler failed: X"),
        ("referrals.assigned.v1.dead-letter", None, "unknown"),
    ]
