"""After the whole run: the personal data the tests seeded (children's and reporters' names, ID numbers,
phone numbers) appears in no log line any part of the system wrote, and the identity of a reporter who did
not consent is on no Kafka topic."""

import json
import re
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer

from shared.identifiers import id_number_problem
from tests.artifacts import ARTIFACTS, RUN_LOG, SESSION_STARTED
from tests.factories import REPORTER_WITHOUT_CONSENT
from tests.kafka_tools import partitions_of

pytestmark = pytest.mark.after_everything

TESTS = Path(__file__).parent
NOT_PEOPLE = ("站", "中心", "委员会", "假日", "节")  # station, centre, committee and holiday names


def seeded_personal_data() -> set[str]:
    """Every person's name, ID number and mobile number written into the tests."""
    found: set[str] = set()
    for source in TESTS.rglob("*.py"):
        text = source.read_text()
        found |= {n for n in re.findall(r'"name": "([\u4e00-\u9fff]{2,4})"', text) if not n.endswith(NOT_PEOPLE)}
        found |= {i for i in re.findall(r'"([0-9]{17}[0-9X])"', text) if id_number_problem(i) is None}
        found |= set(re.findall(r'"(1[3-9][0-9]{9})"', text))
    return found


def logs_of_this_run() -> list[Path]:
    return [path for path in ARTIFACTS.rglob("*.log") if path.stat().st_mtime >= SESSION_STARTED]


def test_no_seeded_personal_data_in_any_log_line():
    seeded = seeded_personal_data()
    assert {"王小花", "13912345678", "140724201503150029", REPORTER_WITHOUT_CONSENT["name"]} <= seeded
    logs = logs_of_this_run()
    assert RUN_LOG in logs
    leaks, lines = [], 0
    for path in logs:
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            lines += 1
            leaks += [f"{path.relative_to(ARTIFACTS)}:{number}: {value}" for value in seeded if value in line]
    assert lines > 0, "no log lines to sweep: the sweep looks at what the other tests left"
    assert not leaks, "\n".join(leaks[:20])
    print(f"{len(seeded)} seeded values looked for in {lines:,} lines of {len(logs)} logs: none found")


async def test_a_reporter_who_did_not_consent_is_on_no_topic(infrastructure):
    consumer = AIOKafkaConsumer(
        bootstrap_servers=infrastructure.kafka_bootstrap_servers, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    try:
        topics = sorted(topic for topic in await consumer.topics() if not topic.startswith("__"))
        assert topics, "nothing on the broker to sweep: the sweep looks at what the other tests left"
        partitions = []
        for topic in topics:
            partitions += await partitions_of(infrastructure.kafka_bootstrap_servers, topic)
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.seek_to_beginning(*partitions)
        secrets = [REPORTER_WITHOUT_CONSENT[key].encode() for key in ("name", "phone")]
        secrets += [json.dumps(REPORTER_WITHOUT_CONSENT["name"]).encode()]  # as JSON escapes it
        control = "吴小雨".encode()  # the child in that report: children's data does travel to referral
        read, leaks, controls = 0, [], 0
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            for partition, records in (await consumer.getmany(timeout_ms=1000, max_records=5000)).items():
                for record in records:
                    read += 1
                    if any(secret in (record.value or b"") for secret in secrets):
                        leaks.append(f"{partition.topic}@{record.offset}")
                    controls += control in (record.value or b"")
    finally:
        await consumer.stop()
    assert controls > 0, "the report of tests/e2e/test_reporter_confidentiality.py was not found: did it run?"
    assert not leaks, leaks[:20]
    print(f"{read:,} records on {len(topics)} topics read: the reporter appears on none")
