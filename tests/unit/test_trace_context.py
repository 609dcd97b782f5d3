"""The trace context travels from the transaction that writes an outbox row to the consumer of its record: kept in
the row, taken up from the record's headers, handled in a span of the same trace. Off, nothing is kept."""

from types import SimpleNamespace

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import NoOpTracer, SpanContext, TraceFlags, TraceState

from shared.consuming import register_consumer
from shared.events import ReportReceived
from shared.outbox import enqueue, enqueue_many
from shared.trace_context import TraceContext, current_trace_context, processing, resumed, sent_with
from tests.factories import report_received

SENDER = SpanContext(trace_id=0xA1, span_id=0xB2, is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED))
TRACEPARENT = f"00-{0xA1:032x}-{0xB2:016x}-01"


@pytest.fixture
def spans() -> tuple[trace.Tracer, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider.get_tracer("test"), exporter


def record(headers: list[tuple[str, bytes]], offset: int = 7) -> SimpleNamespace:
    return SimpleNamespace(topic=ReportReceived.TOPIC, partition=2, offset=offset, headers=headers)


class Recording:
    """A connection that keeps what it was asked to run."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []

    async def execute(self, _sql: str, *row: object) -> None:
        self.rows.append(row)

    async def executemany(self, _sql: str, rows: list[tuple]) -> None:
        self.rows.extend(rows)

    def get_server_pid(self) -> int:
        return 0


def test_without_a_span_there_is_no_context_to_keep():
    assert current_trace_context() == TraceContext(None, None)


def test_the_current_span_is_kept_with_its_state():
    state = TraceState([("vendor", "x1")])
    span = trace.NonRecordingSpan(SpanContext(0xA1, 0xB2, False, TraceFlags(1), trace_state=state))
    with trace.use_span(span):
        assert current_trace_context() == TraceContext(TRACEPARENT, "vendor=x1")


async def test_an_outbox_row_keeps_the_context_of_its_transaction():
    connection, event = Recording(), report_received()
    await enqueue(connection, event, key="k")  # type: ignore[arg-type]
    with trace.use_span(trace.NonRecordingSpan(SENDER)):
        await enqueue_many(connection, [(event, "k")])  # type: ignore[arg-type]
    assert connection.rows[0][-2:] == (None, None)
    assert connection.rows[1][-2:] == (TRACEPARENT, None)


def test_a_stored_context_is_resumed_and_let_go():
    with resumed(TRACEPARENT, "vendor=x1"):
        current = trace.get_current_span().get_span_context()
        assert (current.trace_id, current.span_id, current.trace_state.get("vendor")) == (0xA1, 0xB2, "x1")
    assert not trace.get_current_span().get_span_context().is_valid
    with resumed(None, None):
        assert not trace.get_current_span().get_span_context().is_valid


def test_the_sender_is_read_from_the_headers_and_a_bad_one_ignored():
    assert sent_with(record([("event_type", b"ReportReceived"), ("traceparent", TRACEPARENT.encode())])) == SENDER
    assert sent_with(record([("traceparent", b"00-zz-bad-01")])) is None
    assert sent_with(record([])) is None


def test_a_record_is_handled_in_a_child_span_of_its_sender(spans):
    tracer, exporter = spans
    with processing(tracer, "referral", [record([("traceparent", TRACEPARENT.encode())])]):
        pass
    (span,) = exporter.get_finished_spans()
    assert span.name == f"{ReportReceived.TOPIC} process" and span.kind is trace.SpanKind.CONSUMER
    assert (span.context.trace_id, span.parent.span_id) == (0xA1, 0xB2)
    assert span.attributes["messaging.kafka.offset"] == 7


def test_a_batch_from_several_traces_links_to_each_sender(spans):
    tracer, exporter = spans
    other = f"00-{0xC3:032x}-{0xD4:016x}-01"
    batch = [record([("traceparent", TRACEPARENT.encode())]), record([("traceparent", other.encode())], 8)]
    with processing(tracer, "referral", batch):
        pass
    (span,) = exporter.get_finished_spans()
    assert span.parent is None and span.context.trace_id not in (0xA1, 0xC3)
    assert {link.context.trace_id for link in span.links} == {0xA1, 0xC3}
    assert span.attributes["messaging.batch.message_count"] == 2


def test_a_batch_of_one_trace_stays_in_it(spans):
    tracer, exporter = spans
    with processing(tracer, "referral", [record([("traceparent", TRACEPARENT.encode())]), record([], 8)]):
        pass
    (span,) = exporter.get_finished_spans()
    assert span.context.trace_id == 0xA1 and not span.links


def test_tracing_off_makes_no_span():
    with processing(NoOpTracer(), "referral", [record([("traceparent", TRACEPARENT.encode())])]):
        assert not trace.get_current_span().get_span_context().is_valid


async def test_a_consumer_handles_an_event_in_the_trace_of_its_sender(spans):
    tracer, exporter = spans
    broker = KafkaBroker()
    seen: list[SpanContext] = []

    async def handle(_event: ReportReceived) -> None:
        seen.append(trace.get_current_span().get_span_context())

    register_consumer(broker, event_type=ReportReceived, group_id="unit", handle=handle, tracer=tracer)
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(
            report_received().model_dump_json().encode(),
            topic=ReportReceived.TOPIC,
            headers={"traceparent": TRACEPARENT},
        )
    (span,) = exporter.get_finished_spans()
    assert seen[0].trace_id == 0xA1 and seen[0].span_id == span.context.span_id
    assert span.attributes["messaging.consumer.group.name"] == "unit"
