"""Each service's /metrics, in Prometheus' text format, counts what happened to a report, times the request
and the consumed batches, and reports the consumer lag measured in the background."""

from prometheus_client.parser import text_string_to_metric_families

from shared.topics import REPORT_RECEIVED
from tests.e2e.test_thin_path import follow
from tests.factories import report_body
from tests.waiting import eventually


async def _figures(http, url: str) -> dict[str, dict[tuple, float]]:
    response = await http.get(f"{url}/metrics", headers={"Authorization": ""})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    figures: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            figures.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return figures


async def test_each_service_counts_what_happened_to_a_report(system, http):
    before = await _figures(http, system.urls["intake"])
    body = report_body(child={"division_code": "140724104", "age": 6})
    report_id = (await http.post(f"{system.urls['intake']}/v1/reports", json=body)).json()["report_id"]
    await follow(http, system, report_id)

    intake = await _figures(http, system.urls["intake"])
    assert intake["reports_received_total"][()] == before["reports_received_total"][()] + 1
    assert intake["outbox_backlog"][()] >= 0 and intake["whole_service_reporter"][()] == 1
    posted = (("method", "POST"), ("route", "/v1/reports"), ("status", "2xx"))
    assert intake["http_request_duration_seconds_count"][posted] >= 1

    referral = await _figures(http, system.urls["referral"])
    assert referral["referrals"][(("status", "assigned"),)] >= 1
    assert "reports_linked_total" in referral and "referral_declines_total" in referral
    for name in ("consumer_batch_records_sum", "consumer_batch_duration_seconds_count"):
        assert sum(value for labels, value in referral[name].items() if ("topic", REPORT_RECEIVED) in labels) >= 1

    notification = await _figures(http, system.urls["notification"])
    assert notification["deadlines_pending"][()] >= 4
    assert {"notification_failures_total", "notifications", "holiday_calendar_next_year_known"} <= set(notification)
    assert {dict(labels)["priority"] for labels in notification["deadlines_overdue"]} == {"P1", "P2", "P3"}
    for url in system.urls.values():
        lagging = await eventually(lambda url=url: lag_measured(http, url), 45, "consumer lag measured")
        topics = {dict(labels).get("topic") for labels in lagging}
        assert topics and None not in topics, "lag is reported per consumer group and topic"


async def lag_measured(http, url: str) -> dict[tuple, float] | None:
    """The lag is measured in the background, at an interval: a scrape serves the last measure."""
    figures = await _figures(http, url)
    return figures.get("consumer_lag") if figures["consumer_lag_age_seconds"][()] < 60 else None
