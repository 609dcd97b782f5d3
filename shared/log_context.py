"""The ids that belong on every log line of one piece of work (the HTTP request, the event being handled),
kept in a context variable so that code need not pass them to each log call. Ids only, never personal data."""

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from opentelemetry import trace

CONTEXT_FIELDS = ("request_id", "trace_id", "span_id", "event_id", "topic", "report_id", "referral_id")

_ids: ContextVar[dict[str, str]] = ContextVar("log_ids", default={})  # noqa: B039 - never mutated, only replaced


@contextlib.contextmanager
def log_ids(**ids: object) -> Iterator[None]:
    """Adds the ids given (those not None) to every log line written inside the block."""
    token = _ids.set(_ids.get() | {name: str(value) for name, value in ids.items() if value is not None})
    try:
        yield
    finally:
        _ids.reset(token)


def current_ids() -> dict[str, str]:
    return dict(_ids.get())


def event_ids(event: Any) -> dict[str, object]:
    """The ids an event carries that may go on a log line: its own, its topic, its report's and referral's."""
    return {
        "event_id": event.event_id,
        "topic": getattr(event, "TOPIC", None),
        "report_id": getattr(event, "report_id", None),
        "referral_id": getattr(event, "referral_id", None),
    }


class ContextFilter(logging.Filter):
    """Puts the ids of the work in hand on the record; and the trace and span ids, when a span is active."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in _ids.get().items():
            if getattr(record, name, None) is None:
                setattr(record, name, value)
        span = trace.get_current_span().get_span_context()
        if span.is_valid and getattr(record, "trace_id", None) is None:
            record.trace_id = format(span.trace_id, "032x")
            record.span_id = format(span.span_id, "016x")
        return True
