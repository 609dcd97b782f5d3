"""Consumer delivery guarantees on the real broker: commit after processing, redelivery, dead letters."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from shared.consuming import register_consumer
from shared.events import ReportReceived
from shared.messaging import create_broker, ensure_topics
from shared.topics import REPORT_RECEIVED, dead_letter_topic
from tests.factories import report_received
from tests.kafka_tools import produce, produce_many, reading
from tests.waiting import eventually

Handler = Callable[[ReportReceived], Awaitable[None]]
BatchHandler = Callable[[list[ReportReceived]], Awaitable[None]]


@asynccontextmanager
async def consuming(
    bootstrap: str, group_id: str, handle: Handler | None = None, handle_many: BatchHandler | None = None
) -> AsyncIterator[None]:
    await _ensure_topics(bootstrap)
    broker = create_broker(bootstrap, client_id=group_id, graceful_timeout=1.0)
    register_consumer(
        broker,
        event_type=ReportReceived,
        group_id=group_id,
        handle=handle,
        handle_many=handle_many,
        retry_delay=0.1,
        max_attempts=3,
    )
    await broker.start()
    try:
        yield
    finally:
        await broker.stop()


def new_group() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


async def send(bootstrap: str, event: ReportReceived, key: bytes = b"child") -> None:
    await produce(bootstrap, REPORT_RECEIVED, event.model_dump_json().encode(), key=key)


async def test_a_message_whose_handling_did_not_finish_is_delivered_again(infrastructure):
    bootstrap, group, ours = infrastructure.kafka_bootstrap_servers, new_group(), report_received()
    started, seen_again = asyncio.Event(), asyncio.Event()

    async def hang(event: ReportReceived) -> None:
        if event.event_id == ours.event_id:
            started.set()
            await asyncio.Event().wait()  # the process "dies" here, mid-handling

    async def finish(event: ReportReceived) -> None:
        if event.event_id == ours.event_id:
            seen_again.set()

    async with consuming(bootstrap, group, hang):
        await send(bootstrap, ours)
        await asyncio.wait_for(started.wait(), 60)
    async with consuming(bootstrap, group, finish):
        await asyncio.wait_for(seen_again.wait(), 60)


async def test_an_outage_is_retried_until_it_passes(infrastructure):
    bootstrap, ours, calls = infrastructure.kafka_bootstrap_servers, report_received(), []

    async def flaky(event: ReportReceived) -> None:
        if event.event_id == ours.event_id:
            calls.append(event)
            if len(calls) < 5:  # more than max_attempts: outages are never dead-lettered
                raise ConnectionRefusedError

    async with consuming(bootstrap, new_group(), flaky):
        await send(bootstrap, ours)
        await eventually(lambda: _async(len(calls) >= 5), 60, "the fifth attempt")
        await asyncio.sleep(0.5)
    assert len(calls) == 5


async def test_poison_and_failing_records_are_dead_lettered_and_consumption_carries_on(infrastructure):
    bootstrap = infrastructure.kafka_bootstrap_servers
    failing, following = report_received(), report_received()
    handled: list[ReportReceived] = []

    async def handle(event: ReportReceived) -> None:
        if event.event_id == failing.event_id:
            raise ValueError("a bug, not an outage")
        if event.event_id == following.event_id:
            handled.append(event)

    async with reading(bootstrap, dead_letter_topic(REPORT_RECEIVED)) as dead_letters:
        async with consuming(bootstrap, new_group(), handle):
            await produce(bootstrap, REPORT_RECEIVED, b'{"schema_version": 2}', key=b"poison")
            await send(bootstrap, failing, key=b"poison")
            await send(bootstrap, following, key=b"poison")
            await eventually(lambda: _async(handled), 60, "the record after the failing one")
        poison = await dead_letters.find(lambda r: r.value == b'{"schema_version": 2}')
        failed = await dead_letters.find(lambda r: r.value == failing.model_dump_json().encode())

    assert dict(poison.headers)["error"].decode().startswith("invalid ReportReceived: schema_version: literal_error")
    assert dict(failed.headers)["error"] == b"handler failed: ValueError"
    assert dict(failed.headers)["source_topic"] == REPORT_RECEIVED.encode()


async def test_a_batch_handler_applies_many_events_in_one_call(infrastructure):
    bootstrap, ours = infrastructure.kafka_bootstrap_servers, [report_received() for _ in range(30)]
    wanted = {event.event_id for event in ours}
    calls: list[list[uuid.UUID]] = []

    async def apply(events: list[ReportReceived]) -> None:
        calls.append([event.event_id for event in events if event.event_id in wanted])

    await send_all(bootstrap, ours)  # already waiting when the consumer starts, so they come in batches
    await produce(bootstrap, REPORT_RECEIVED, b'{"schema_version": 2}', key=b"child")  # set aside, not a brake
    async with consuming(bootstrap, new_group(), handle_many=apply):
        await eventually(lambda: _async(sum(map(len, calls)) >= len(ours)), 60, "all thirty events")
    applied = [event_id for call in calls for event_id in call]
    assert sorted(applied) == sorted(wanted)  # each once
    assert max(map(len, calls)) > 1


async def test_a_failing_event_in_a_batch_is_set_aside_alone_and_the_rest_applied(infrastructure):
    bootstrap = infrastructure.kafka_bootstrap_servers
    good, failing = [report_received() for _ in range(20)], report_received()
    applied: set[uuid.UUID] = set()  # idempotent, as every handler is: a retried batch is applied again

    async def apply_all_or_none(events: list[ReportReceived]) -> None:
        if any(event.event_id == failing.event_id for event in events):
            raise ValueError("a bug, not an outage")
        applied.update(event.event_id for event in events)

    async with reading(bootstrap, dead_letter_topic(REPORT_RECEIVED)) as dead_letters:
        await send_all(bootstrap, good[:10] + [failing] + good[10:])
        async with consuming(bootstrap, new_group(), handle_many=apply_all_or_none):
            await eventually(lambda: _async({e.event_id for e in good} <= applied), 60, "the good events")
            failed = await dead_letters.find(lambda r: r.value == failing.model_dump_json().encode())

    assert dict(failed.headers)["error"] == b"handler failed: ValueError"
    assert failing.event_id not in applied


async def send_all(bootstrap: str, events: list[ReportReceived]) -> None:
    await _ensure_topics(bootstrap)
    await produce_many(bootstrap, REPORT_RECEIVED, [(event.model_dump_json().encode(), b"child") for event in events])


async def _ensure_topics(bootstrap: str) -> None:
    await ensure_topics(bootstrap, [REPORT_RECEIVED, dead_letter_topic(REPORT_RECEIVED)], partitions=6)


async def _async(value):
    return value
