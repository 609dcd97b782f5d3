"""Each service's /metrics, in Prometheus' text format, counts what happened to a report."""

from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.test_thin_path import follow
from tests.factories import report_body


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
    assert intake["outbox_backlog"][()] >= 0
    assert any(group for group, _ in intake["consumer_lag"]), "lag is reported per consumer group and topic"

    referral = await _figures(http, system.urls["referral"])
    assert referral["referrals"][(("status", "assigned"),)] >= 1
    assert "reports_linked_total" in referral and "referral_declines_total" in referral

    notification = await _figures(http, system.urls["notification"])
    assert notification["deadlines_pending"][()] >= 4
    assert {"deadlines_overdue", "notification_failures_total", "notifications", "consumer_lag"} <= set(notification)
    for figures in (intake, referral, notification):
        topics = {dict(labels).get("topic") for labels in figures["consumer_lag"]}
        assert topics and None not in topics
