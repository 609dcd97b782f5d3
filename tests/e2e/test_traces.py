"""One report's trace, as the services run in production (three processes, each exporting over OTLP/HTTP): intake's
request, referral's routing, notification's clocks and the notice's delivery, in one trace."""

from collections.abc import Iterator

import pytest

from shared.topics import REFERRAL_ASSIGNED, REPORT_RECEIVED
from tests.e2e.system import SERVICES, RunningSystem
from tests.factories import report_body
from tests.otlp_receiver import Receiver, otlp_receiver
from tests.waiting import eventually


@pytest.fixture
def traced(system: RunningSystem) -> Iterator[Receiver]:
    """The system's services, started again with tracing on, and as they were afterwards."""
    with otlp_receiver() as receiver:
        tracing = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url, "OTEL_BSP_SCHEDULE_DELAY": "100"}
        system.restart(SERVICES, tracing)
        try:
            yield receiver
        finally:
            system.restart(SERVICES)


async def test_one_reports_trace_spans_the_three_services(system, traced, http):
    answer = await http.post(f"{system.urls['intake']}/v1/reports", json=report_body())
    assert answer.status_code == 201, answer.text
    report_id = answer.json()["report_id"]

    async def request_span() -> list:
        return [span for span in traced.spans if span.name == "POST /v1/reports"]

    (request,) = await eventually(request_span, what=f"the span of the request that filed {report_id}")
    wanted = {
        ("intake", "POST /v1/reports"),
        ("referral", f"{REPORT_RECEIVED} process"),
        ("notification", f"{REFERRAL_ASSIGNED} process"),
        ("notification", "deliver assigned notice"),
    }

    async def whole_trace() -> set:
        seen = {(span.service, span.name) for span in traced.in_trace(request.trace_id)}
        return seen if wanted <= seen else set()

    await eventually(whole_trace, timeout=60, what="referral's, notification's and the delivery's spans in it")
