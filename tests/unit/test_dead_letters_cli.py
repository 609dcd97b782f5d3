"""The dead-letter command's arguments and output lines; no broker."""

from datetime import UTC, datetime

import pytest

from shared.dead_letters import DeadLetter
from shared.dead_letters_cli import _line, parse_args


def test_show_reads_every_topic_unless_one_is_named():
    assert parse_args(["show"]).topic is None
    assert parse_args(["show", "--topic", "reports.received.v1"]).topic == "reports.received.v1"


def test_a_dead_letter_topic_is_taken_for_its_source_topic():
    assert parse_args(["show", "--topic", "reports.received.v1.dead-letter"]).topic == "reports.received.v1"


def test_replay_takes_offsets_repeated_or_listed():
    args = parse_args(["replay", "--topic", "t", "--offset", "0:5", "--offset", "1:7", "2:9"])
    assert (args.all, args.offsets) == (False, [(0, 5), (1, 7), (2, 9)])
    assert parse_args(["replay", "--topic", "t", "--all"]).all


@pytest.mark.parametrize(
    "argv",
    [
        ["replay", "--topic", "t"],  # neither --all nor --offset
        ["replay", "--topic", "t", "--all", "--offset", "0:1"],
        ["replay", "--all"],  # no topic
        ["replay", "--topic", "t", "--offset", "0"],
        ["replay", "--topic", "t", "--offset", "a:1"],
        ["replay", "--topic", "t", "--offset", "0:-1"],
        [],
    ],
)
def test_bad_arguments_are_refused(argv):
    with pytest.raises(SystemExit):
        parse_args(argv)


def test_a_line_names_position_source_size_and_error():
    letter = DeadLetter(
        topic="t.dead-letter",
        partition=2,
        offset=7,
        source="t:1:40",
        error="invalid ReportReceived: child.age: int_parsing",
        timestamp=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
        body_size=321,
        replayed=True,
    )
    assert _line(letter) == (
        "t.dead-letter 2:7  from t:1:40  2025-01-02T03:04:05.000+00:00  321 bytes  replayed"
        "  error: invalid ReportReceived: child.age: int_parsing"
    )
