"""The W3C trace context, carried from the transaction that announces a change to the services that act on it:
kept in the outbox row, sent in the Kafka record's `traceparent` and `tracestate` headers, and taken up by the
consumer, which handles the record in a span of the same trace. With tracing off there is no current span,
nothing is kept and nothing is looked for."""

import contextlib
import logging
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from aiokafka import ConsumerRecord
from opentelemetry import context, trace
from opentelemetry.trace import Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

log = logging.getLogger(__name__)

__all__ = ["NO_TRACER", "TraceContext", "Tracer", "current_trace_context", "processing", "resumed", "sent_with"]

NO_TRACER: Tracer = trace.NoOpTracer()  # with tracing off
_W3C = TraceContextTextMapPropagator()
_HEADERS = ("traceparent", "tracestate")


class TraceContext(NamedTuple):
    traceparent: str | None = None
    tracestate: str | None = None


def current_trace_context() -> TraceContext:
    """The context of the span in hand, for an outbox row written in it."""
    if not trace.get_current_span().get_span_context().is_valid:
        return TraceContext()
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return TraceContext(carrier.get("traceparent"), carrier.get("tracestate"))


@contextlib.contextmanager
def resumed(traceparent: str | None, tracestate: str | None = None) -> Iterator[None]:
    """Makes a stored context the current one inside the block (the relay publishes a row under it)."""
    if not traceparent:
        yield
        return
    carrier = {"traceparent": traceparent} | ({"tracestate": tracestate} if tracestate else {})
    token = context.attach(_W3C.extract(carrier))
    try:
        yield
    finally:
        context.detach(token)


def sent_with(record: ConsumerRecord) -> trace.SpanContext | None:
    """The span that sent a record, from its headers; None when it came without a valid one."""
    carrier = {key: value.decode("latin-1") for key, value in record.headers or () if key in _HEADERS and value}
    if "traceparent" not in carrier:
        return None
    sender = trace.get_current_span(_W3C.extract(carrier)).get_span_context()
    return sender if sender.is_valid else None


@contextlib.contextmanager
def processing(tracer: Tracer, group: str, records: Sequence[ConsumerRecord]) -> Iterator[None]:
    """The span a consumer handles records in. Records that all came from one trace are handled in a child
    span of their sender: so is a report followed from service to service. A batch from several traces gets
    a span of its own that links to each sender; what it announces then follows that span."""
    if isinstance(tracer, trace.NoOpTracer) or not records:
        yield
        return
    senders = [sender for sender in map(sent_with, records) if sender is not None]
    one_trace = len({sender.trace_id for sender in senders}) == 1
    parent = trace.set_span_in_context(trace.NonRecordingSpan(senders[0])) if one_trace else context.Context()
    links = [] if one_trace else [trace.Link(sender) for sender in senders]
    attributes: dict[str, str | int] = {
        "messaging.system": "kafka",
        "messaging.operation.type": "process",
        "messaging.destination.name": records[0].topic,
        "messaging.consumer.group.name": group,
        "messaging.batch.message_count": len(records),
    }
    if len(records) == 1:
        attributes |= {"messaging.destination.partition.id": str(records[0].partition)}
        attributes |= {"messaging.kafka.offset": records[0].offset}
    with tracer.start_as_current_span(
        f"{records[0].topic} process", context=parent, kind=trace.SpanKind.CONSUMER, links=links, attributes=attributes
    ):
        # A line in the trace: a log search by trace id finds each service a report passed through.
        log.info("%s: handling %d record(s) of %s", group, len(records), records[0].topic)
        yield
