"""`/metrics` in Prometheus' text format. Two kinds of figure, told apart so that adding them up across
instances is always right:
- what this process did (HTTP requests, consumed batches, dead letters, CPU and memory: `shared/instruments.py`),
  which each instance counts for itself;
- the figures of the whole service (counts from its database, consumer lag, next year's holidays known), which
  one instance reports (`shared/figure_reporter.py`).
A scrape opens no Kafka connection: the lag is measured in the background. Counts only: no figure carries a
name, a code of a child or anything else personal."""

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric

from shared.figure_reporter import Figure, FigureReporter
from shared.http_metrics import HttpMetrics
from shared.instruments import ServiceMetrics

__all__ = [
    "OUTBOX_BACKLOG",
    "Figure",
    "FigureReporter",
    "GaugeMetricFamily",
    "Metric",
    "ServiceMetrics",
    "install_metrics",
]
TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8"  # what every Prometheus 2 reads

OUTBOX_BACKLOG = Figure(
    "outbox_backlog",
    "Events written but not yet published to Kafka",
    "SELECT count(*) FROM outbox WHERE published_at IS NULL",
)


def install_metrics(app: FastAPI, metrics: ServiceMetrics, reporter: FigureReporter) -> None:
    """Times every request (added last, so outermost: a refusal by another middleware is timed too), and
    serves /metrics."""
    metrics.registry.register(reporter)
    app.state.figure_reporter = reporter
    app.add_middleware(HttpMetrics, histogram=metrics.http)
    router = APIRouter(include_in_schema=False)

    @router.get("/metrics")
    async def scrape(_request: Request) -> Response:
        await reporter.read()
        return Response(generate_latest(metrics.registry), media_type=TEXT_FORMAT)

    app.include_router(router)
