"""The `python -m shared.dead_letters` command (see shared/dead_letters.py). It prints where each dead
letter is, where it came from and why it failed, never its body: bodies hold personal data."""

import argparse
import asyncio
import sys
from collections.abc import Sequence

from shared.dead_letters import DeadLetter, list_dead_letters, replay
from shared.kafka_connection import KafkaSettings, KafkaTarget
from shared.logs import configure_logging
from shared.topics import ALL_TOPICS, dead_letter_topic


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m shared.dead_letters", description="Show or replay dead letters.")
    commands = parser.add_subparsers(dest="command", required=True)
    show = commands.add_parser("show", help="list dead letters, without their bodies")
    show.add_argument("--topic", type=_source_topic, help="source topic (default: every topic)")
    replaying = commands.add_parser("replay", help="republish dead letters to their source topic, once")
    replaying.add_argument("--topic", type=_source_topic, required=True, help="source topic")
    which = replaying.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every dead letter not replayed yet")
    which.add_argument(
        "--offset",
        dest="offsets",
        type=_position,
        nargs="+",
        action="extend",
        metavar="P:O",
        help="dead-letter partition:offset, as `show` prints it",
    )
    return parser.parse_args(argv)


async def run(args: argparse.Namespace, kafka: KafkaTarget) -> int:
    if args.topic and args.topic not in ALL_TOPICS:
        print(f"note: {args.topic} is none of {', '.join(ALL_TOPICS)}", file=sys.stderr)
    if args.command == "show":
        letters = await list_dead_letters(kafka, [args.topic] if args.topic else ALL_TOPICS)
        for letter in letters:
            print(_line(letter))
        print(f"{len(letters)} dead letter(s)", file=sys.stderr)
        return 0
    report = await replay(kafka, args.topic, None if args.all else args.offsets)
    dead_letters = dead_letter_topic(args.topic)
    for position, target in report.replayed.items():
        print(f"replayed {dead_letters} {position} -> {target}")
    for position in report.already_replayed:
        print(f"skipped {dead_letters} {position}: replayed before")
    for position in report.not_found:
        print(f"not found {dead_letters} {position}")
    return 1 if report.not_found else 0


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    configure_logging("dead-letters", "WARNING", stream=sys.stderr)  # its listing is on standard output
    sys.exit(asyncio.run(run(args, KafkaSettings().kafka())))


def _line(letter: DeadLetter) -> str:
    when = letter.timestamp.isoformat(timespec="milliseconds")
    replayed = "  replayed" if letter.replayed else ""
    return (
        f"{letter.topic} {letter.partition}:{letter.offset}  from {letter.source}  {when}"
        f"  {letter.body_size} bytes{replayed}  error: {letter.error}"
    )


def _position(text: str) -> tuple[int, int]:
    partition, _, offset = text.partition(":")
    if not (partition.isdigit() and offset.isdigit()):
        raise argparse.ArgumentTypeError(f"expected partition:offset, e.g. 0:42, not {text!r}")
    return int(partition), int(offset)


def _source_topic(name: str) -> str:
    return name.removesuffix(dead_letter_topic(""))  # the dead-letter topic's own name is accepted too


if __name__ == "__main__":
    main()
