"""/metrics without a database: requests timed by route template (never the raw path), consumed batches and
dead letters counted per consumer, the process's own figures; the whole service's counts only from the
instance that reports them, and a scrape that connects to nothing."""

import uuid

from fastapi.testclient import TestClient
from faststream.kafka import KafkaBroker, TestKafkaBroker
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared.consuming import register_consumer
from shared.events import ReportReceived
from shared.instruments import ConsumerMetrics
from shared.topics import REPORT_RECEIVED
from tests.factories import report_received

Samples = dict[str, dict[tuple, float]]


def scraped(text: str) -> Samples:
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return samples


def intake() -> TestClient:
    settings = IntakeSettings(database_url="postgresql://nobody@127.0.0.1:1/none", http_port=1, referral_url="http://x")
    return TestClient(create_app(settings))


def test_requests_are_timed_by_route_template_and_status_class():
    client, report_id = intake(), str(uuid.uuid4())
    for path in ("/health/live", f"/v1/reports/{report_id}", "/operator/operator.js", f"/no/such/{report_id}"):
        client.get(path)
    client.request("BREW", "/health/live")
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert report_id not in response.text, "a path's ids never become a label"
    counts = scraped(response.text)["http_request_duration_seconds_count"]
    labels = {tuple(value for _, value in sorted(key)) for key in counts}  # method, route, status
    assert {
        ("GET", "/health/live", "2xx"),
        ("GET", "/v1/reports/{report_id}", "4xx"),
        ("GET", "/operator/{path}", "2xx"),
        ("GET", "unmatched", "4xx"),
    } <= labels
    assert all(method in {"GET", "other"} for method, _, _ in labels)


def test_the_process_reports_itself_and_an_instance_not_reporting_the_service_shows_no_counts():
    figures = scraped(intake().get("/metrics").text)
    assert {"process_cpu_seconds_total", "process_resident_memory_bytes", "python_info"} <= set(figures)
    assert figures["whole_service_reporter"][()] == 0
    assert not {"reports_received_total", "outbox_backlog", "consumer_lag", "consumer_lag_age_seconds"} & set(figures)


async def test_batches_and_dead_letters_are_counted_per_consumer():
    registry, broker = CollectorRegistry(), KafkaBroker()
    metrics = ConsumerMetrics(registry).of("unit", REPORT_RECEIVED)

    async def handle(_event: ReportReceived) -> None:
        pass

    register_consumer(broker, event_type=ReportReceived, group_id="unit", handle=handle, metrics=metrics)
    labels = {"group": "unit", "topic": REPORT_RECEIVED}
    assert registry.get_sample_value("consumer_dead_letters_total", labels) == 0, "there at zero from the start"
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(report_received().model_dump_json().encode(), REPORT_RECEIVED)
        await test_broker.publish(b"not json at all", REPORT_RECEIVED)

    assert registry.get_sample_value("consumer_batch_records_count", labels) == 2
    assert registry.get_sample_value("consumer_batch_records_sum", labels) == 2
    assert registry.get_sample_value("consumer_batch_duration_seconds_count", labels) == 2
    assert registry.get_sample_value("consumer_dead_letters_total", labels) == 1
