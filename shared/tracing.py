"""OpenTelemetry traces of one service, off unless an OTLP endpoint is set (README, Traces).

Each service has its own tracer provider, named by its `service.name`, which exports over OTLP/HTTP with a
batch span processor. The FastAPI app is instrumented per service; asyncpg and aiokafka can only be
instrumented process-wide, so the first service to start in a process does it for all (in production a
process runs one service) and undoes it when it stops. Off, the tracer is a no-op and nothing is instrumented.
"""

import os
from typing import Any

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.aiokafka import AIOKafkaInstrumentor
from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import Decision, ParentBased, Sampler, SamplingResult

NOT_TRACED = "health,metrics,assets"  # probes and scrapes would bury the requests worth a trace
_QUERY_ATTRIBUTES = ("http.target", "http.url", "url.full")
_MESSAGE_KEY = "messaging.kafka.message.key"
_owner: "Tracing | None" = None  # the service whose provider the process-wide instrumentation reports to


def traces_endpoint(endpoint: str | None, traces: str | None) -> str | None:
    """As OpenTelemetry defines them: the traces endpoint as it is, else the base endpoint's /v1/traces."""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    if traces:
        return traces
    return f"{endpoint.rstrip('/')}/v1/traces" if endpoint else None


class Tracing:
    def __init__(self, service: str, endpoint: str | None, exporter: SpanExporter | None = None) -> None:
        """`exporter` stands in for OTLP (a test's in-memory one); it turns tracing on by itself."""
        self.provider: TracerProvider | None = None
        if endpoint or exporter:
            resource = Resource.create({SERVICE_NAME: service})
            self.provider = TracerProvider(resource=resource, sampler=ParentBased(root=_NoLoneStatements()))
            self.provider.add_span_processor(BatchSpanProcessor(exporter or OTLPSpanExporter(endpoint=endpoint)))
        self.tracer: trace.Tracer = self.provider.get_tracer("shared.tracing") if self.provider else trace.NoOpTracer()

    @property
    def enabled(self) -> bool:
        return self.provider is not None

    def instrument_app(self, app: FastAPI) -> None:
        """Call last: the server span then wraps the request id and every other middleware."""
        if self.provider is not None:
            FastAPIInstrumentor.instrument_app(
                app,
                tracer_provider=self.provider,
                excluded_urls=NOT_TRACED,
                exclude_spans=["receive", "send"],
                server_request_hook=_without_query,
            )

    def start(self) -> None:
        global _owner
        if self.provider is None or _owner is not None:
            return
        _owner = self
        AsyncPGInstrumentor().instrument(tracer_provider=self.provider)  # statements only, never their values
        AIOKafkaInstrumentor().instrument(
            tracer_provider=self.provider, async_produce_hook=_without_key, async_consume_hook=_without_key
        )

    def stop(self) -> None:
        """Sends what is left; the provider stays usable should the app start again."""
        global _owner
        if self.provider is None:
            return
        if _owner is self:
            AsyncPGInstrumentor().uninstrument()
            AIOKafkaInstrumentor().uninstrument()
            _owner = None
        self.provider.force_flush()


class _NoLoneStatements(Sampler):
    """A statement outside any request or event (a background loop's poll, every second) is no trace of its
    own; a request, a record sent or handled starts one."""

    def should_sample(self, parent_context, trace_id, name, kind=None, attributes=None, **_: Any) -> SamplingResult:
        if kind is trace.SpanKind.CLIENT:
            return SamplingResult(Decision.DROP)
        return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes)

    def get_description(self) -> str:
        return "NoLoneStatements"


def _without_query(span: trace.Span, _scope: dict[str, Any]) -> None:
    """A query string may hold an address or a name: a span keeps the path only."""
    attributes = getattr(span, "attributes", None) or {}
    for name in _QUERY_ATTRIBUTES:
        value = attributes.get(name)
        if isinstance(value, str) and "?" in value:
            span.set_attribute(name, value.partition("?")[0])
    if "url.query" in attributes:
        span.set_attribute("url.query", "")


async def _without_key(span: trace.Span, *_: Any) -> None:
    """A report's key is its child's keyed hash: no use in a trace, so it is not kept there."""
    if _MESSAGE_KEY in (getattr(span, "attributes", None) or {}):
        span.set_attribute(_MESSAGE_KEY, "")
