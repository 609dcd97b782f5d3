"""Tracing is off unless an OTLP endpoint is set, and costs nothing then; on, a service's spans name it, a server
span keeps no query string, and log lines carry the span's ids."""

import logging

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from shared.log_context import ContextFilter
from shared.tracing import Tracing, traces_endpoint


@pytest.mark.parametrize(
    ("endpoint", "traces", "expected"),
    [
        (None, None, None),
        ("http://collector:4318", None, "http://collector:4318/v1/traces"),
        ("http://collector:4318/", None, "http://collector:4318/v1/traces"),
        ("http://collector:4318", "http://other:4318/spans", "http://other:4318/spans"),
    ],
)
def test_the_endpoint_is_read_as_opentelemetry_defines_it(endpoint, traces, expected):
    assert traces_endpoint(endpoint, traces) == expected


def test_the_sdk_can_be_switched_off_whatever_the_endpoint(monkeypatch):
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert traces_endpoint("http://collector:4318", None) is None


def test_off_by_default_nothing_is_instrumented():
    tracing, app = Tracing("intake", None), FastAPI()
    tracing.instrument_app(app)
    tracing.start()
    tracing.stop()
    assert not tracing.enabled and isinstance(tracing.tracer, trace.NoOpTracer)
    assert app.user_middleware == []


async def test_a_request_span_names_the_service_and_keeps_no_query():
    exporter = InMemorySpanExporter()
    tracing, app = Tracing("referral", None, exporter=exporter), FastAPI()

    @app.get("/v1/divisions/resolve")
    async def resolve(address: str) -> dict:
        return {"ok": bool(address)}

    @app.get("/health")
    async def health() -> dict:
        return {}

    tracing.instrument_app(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        await client.get("/v1/divisions/resolve", params={"address": "和平路12号"})
        await client.get("/health")
    tracing.stop()
    (span,) = exporter.get_finished_spans()
    assert span.resource.attributes["service.name"] == "referral"
    assert span.name == "GET /v1/divisions/resolve"
    assert not any("和平路" in str(value) or "address=" in str(value) for value in span.attributes.values())


def test_a_log_line_in_a_span_carries_its_trace_and_span_ids():
    record = logging.LogRecord("test", logging.INFO, __file__, 1, "in a span", None, None)
    context = trace.SpanContext(trace_id=0xABC, span_id=0xDEF, is_remote=False)
    with trace.use_span(trace.NonRecordingSpan(context)):
        ContextFilter().filter(record)
    assert (record.trace_id, record.span_id) == (f"{0xABC:032x}", f"{0xDEF:016x}")


def test_a_statement_outside_any_request_or_event_starts_no_trace():
    exporter = InMemorySpanExporter()
    tracing = Tracing("notification", None, exporter=exporter)
    with tracing.tracer.start_as_current_span("SELECT", kind=trace.SpanKind.CLIENT):
        pass
    with (
        tracing.tracer.start_as_current_span("POST /v1/reports", kind=trace.SpanKind.SERVER),
        tracing.tracer.start_as_current_span("INSERT", kind=trace.SpanKind.CLIENT),
    ):
        pass
    tracing.stop()
    assert sorted(span.name for span in exporter.get_finished_spans()) == ["INSERT", "POST /v1/reports"]
