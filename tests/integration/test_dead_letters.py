"""The dead-letter command on the real broker: show without bodies, replay once. Each test has its own topics."""

import asyncio
import json
import os
import sys
import uuid
from asyncio.subprocess import PIPE

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from deploy.local.process import REPO_ROOT
from shared.dead_letters import list_dead_letters, replay
from shared.dead_letters_cli import parse_args, run
from shared.messaging import ensure_topics
from shared.topics import dead_letter_topic
from tests.factories import VALID_CHILD_ID
from tests.kafka_tools import reading

PARTITIONS = 3
NAME = "王小明"


async def new_topic(bootstrap: str) -> str:
    topic = f"test.dead-letters.{uuid.uuid4().hex[:10]}"
    await ensure_topics(bootstrap, [topic, dead_letter_topic(topic)], partitions=PARTITIONS)
    return topic


def body(number: int) -> bytes:
    return json.dumps({"child": {"name": NAME, "id_number": VALID_CHILD_ID}, "n": number}, ensure_ascii=False).encode()


async def put_dead_letters(bootstrap: str, topic: str, count: int) -> dict[str, tuple[bytes, bytes]]:
    """Dead letters as shared/consuming.py writes them, spread over the partitions: position -> (key, body)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        letters = {}
        for number in range(count):
            key = f"child-{number}".encode()
            sent = await producer.send_and_wait(
                dead_letter_topic(topic),
                value=body(number),
                key=key,
                partition=number % PARTITIONS,
                headers=[
                    ("error", f"invalid ReportReceived: child.age: int_parsing {number}".encode()),
                    ("source_topic", topic.encode()),
                    ("source_partition", b"1"),
                    ("source_offset", str(100 + number).encode()),
                ],
            )
            letters[f"{sent.partition}:{sent.offset}"] = (key, body(number))
        return letters
    finally:
        await producer.stop()


async def record_count(bootstrap: str, topic: str) -> int:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        ends = await consumer.end_offsets([TopicPartition(topic, number) for number in range(PARTITIONS)])
    finally:
        await consumer.stop()
    return sum(ends.values())  # the test's own topic: nothing was ever deleted from it


async def test_show_lists_each_dead_letter_with_its_source_and_error_but_never_its_body(infrastructure, capsys, caplog):
    bootstrap = infrastructure.kafka_bootstrap_servers
    topic = await new_topic(bootstrap)
    letters = await put_dead_letters(bootstrap, topic, 2)

    assert await run(parse_args(["show", "--topic", topic]), bootstrap) == 0

    printed = capsys.readouterr()
    lines = printed.out.splitlines()
    assert len(lines) == 2
    for number, (line, position) in enumerate(zip(lines, letters, strict=True)):
        assert line.startswith(f"{dead_letter_topic(topic)} {position} ")
        assert f"from {topic}:1:{100 + number}" in line
        assert f"{len(body(number))} bytes" in line
        assert line.endswith(f"error: invalid ReportReceived: child.age: int_parsing {number}")
    everything = printed.out + printed.err + caplog.text
    assert NAME not in everything and VALID_CHILD_ID[:6] not in everything and "child-0" not in everything


async def test_show_of_a_topic_without_dead_letters_finds_none(infrastructure):
    bootstrap = infrastructure.kafka_bootstrap_servers
    assert await list_dead_letters(bootstrap, [f"test.never-made.{uuid.uuid4().hex[:10]}"]) == []
    assert await list_dead_letters(bootstrap, [await new_topic(bootstrap)]) == []


async def test_replay_republishes_to_the_source_topic_with_key_body_and_header(infrastructure):
    bootstrap = infrastructure.kafka_bootstrap_servers
    topic = await new_topic(bootstrap)
    letters = await put_dead_letters(bootstrap, topic, 2)

    report = await replay(bootstrap, topic)

    assert sorted(report.replayed) == sorted(letters)
    async with reading(bootstrap, topic, from_beginning=True) as source:
        republished = await source.read(2)
    by_origin = {dict(record.headers)["replayed_from"].decode(): record for record in republished}
    assert sorted(by_origin) == sorted(f"{dead_letter_topic(topic)}:{position}" for position in letters)
    for position, (key, value) in letters.items():
        record = by_origin[f"{dead_letter_topic(topic)}:{position}"]
        assert (record.key, record.value) == (key, value)
        assert report.replayed[position] == f"{topic}:{record.partition}:{record.offset}"


async def test_replaying_again_publishes_nothing_new(infrastructure):
    bootstrap = infrastructure.kafka_bootstrap_servers
    topic = await new_topic(bootstrap)
    letters = await put_dead_letters(bootstrap, topic, 2)
    await replay(bootstrap, topic)

    again = await replay(bootstrap, topic)

    assert again.replayed == {}
    assert sorted(again.already_replayed) == sorted(letters)
    assert await record_count(bootstrap, topic) == 2
    assert all(letter.replayed for letter in await list_dead_letters(bootstrap, [topic]))


async def test_replay_of_selected_offsets_replays_only_those(infrastructure, capsys):
    bootstrap = infrastructure.kafka_bootstrap_servers
    topic = await new_topic(bootstrap)
    letters = await put_dead_letters(bootstrap, topic, 3)
    chosen, *others = letters

    assert await run(parse_args(["replay", "--topic", topic, "--offset", chosen]), bootstrap) == 0

    assert capsys.readouterr().out.startswith(f"replayed {dead_letter_topic(topic)} {chosen} -> {topic}:")
    async with reading(bootstrap, topic, from_beginning=True) as source:
        [record] = await source.read(1)
    assert dict(record.headers)["replayed_from"] == f"{dead_letter_topic(topic)}:{chosen}".encode()
    assert await record_count(bootstrap, topic) == 1
    shown = await list_dead_letters(bootstrap, [topic])
    assert {f"{letter.partition}:{letter.offset}": letter.replayed for letter in shown} == {
        chosen: True,
        **dict.fromkeys(others, False),
    }

    others_positions = [tuple(map(int, position.split(":"))) for position in others]
    rest = await replay(bootstrap, topic, [(0, 999), *others_positions])

    assert sorted(rest.replayed) == sorted(others)
    assert rest.not_found == ["0:999"]
    assert await record_count(bootstrap, topic) == 3


async def test_the_command_runs_as_a_module_with_the_broker_from_the_environment(infrastructure):
    bootstrap = infrastructure.kafka_bootstrap_servers
    topic = await new_topic(bootstrap)
    [position] = await put_dead_letters(bootstrap, topic, 1)
    command = [sys.executable, "-m", "shared.dead_letters"]
    environment = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": bootstrap}

    async def call(*argv: str) -> tuple[int, str, str]:
        process = await asyncio.create_subprocess_exec(
            *command, *argv, env=environment, cwd=REPO_ROOT, stdout=PIPE, stderr=PIPE
        )
        out, err = await asyncio.wait_for(process.communicate(), 120)
        return process.returncode, out.decode(), err.decode()

    code, out, err = await call("show", "--topic", topic)
    assert (code, len(out.splitlines())) == (0, 1), err
    assert out.startswith(f"{dead_letter_topic(topic)} {position} ") and NAME not in out + err

    code, out, err = await call("replay", "--topic", topic, "--offset", position, "9:9")
    assert code == 1, err  # one was not found
    assert out.splitlines()[0].startswith(f"replayed {dead_letter_topic(topic)} {position} -> {topic}:")
    assert out.splitlines()[1] == f"not found {dead_letter_topic(topic)} 9:9"
