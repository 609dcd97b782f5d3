"""Two intake instances on one database: only one reports the counts and the consumer lag (so that adding
them up over instances counts them once), the other takes over when it stops, and no scrape opens a
Kafka connection."""

import contextlib

import pytest

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared import consumer_lag
from tests.auth import service_settings
from tests.e2e.test_metrics import _figures
from tests.factories import report_body
from tests.integration.conftest import serving
from tests.waiting import eventually

WHOLE_SERVICE = {"reports_received_total", "reports_stuck", "outbox_backlog", "consumer_lag_age_seconds"}


@pytest.fixture
def kafka_clients(monkeypatch) -> list[object]:
    """Every Kafka admin client the lag reader makes."""
    made: list[object] = []

    class Counted(consumer_lag.AIOKafkaAdminClient):
        def __init__(self, **options: object) -> None:
            made.append(self)
            super().__init__(**options)

    monkeypatch.setattr(consumer_lag, "AIOKafkaAdminClient", Counted)
    return made


async def test_one_instance_reports_the_whole_service_and_another_takes_over(
    infrastructure, intake_database, kafka_clients
):
    url, bootstrap = await intake_database(), infrastructure.kafka_bootstrap_servers
    apps = [create_app(service_settings(IntakeSettings, url, bootstrap, metrics_interval_seconds=0.2)) for _ in "ab"]
    async with contextlib.AsyncExitStack() as second_stack:
        first_stack = contextlib.AsyncExitStack()
        second_stack.push_async_callback(first_stack.aclose)  # closed early below, or here if the test fails
        first = await first_stack.enter_async_context(serving(apps[0]))
        second = await second_stack.enter_async_context(serving(apps[1]))
        assert (await first.post("/v1/reports", json=report_body())).status_code == 201

        async def lag_measured(index: int, client) -> dict | None:
            measured = apps[index].state.figure_reporter.lag.measured_at is not None
            return await _figures(client, "") if measured else None

        reporting = await eventually(lambda: lag_measured(0, first), 30, "the first instance measures the lag")
        silent = await _figures(second, "")
        assert reporting["whole_service_reporter"][()] == 1 and silent["whole_service_reporter"][()] == 0
        assert set(reporting) >= WHOLE_SERVICE and not WHOLE_SERVICE & set(silent)
        assert reporting["reports_received_total"][()] == 1
        assert "process_cpu_seconds_total" in silent, "its own figures it reports all the same"

        clients_before = len(kafka_clients)
        for _ in range(5):
            await _figures(first, "")
        assert len(kafka_clients) == clients_before, "a scrape reads the last measure, it connects to nothing"

        await first_stack.aclose()
        taken_over = await eventually(lambda: lag_measured(1, second), 30, "the second instance takes over")
        assert taken_over["whole_service_reporter"][()] == 1 and taken_over["reports_received_total"][()] == 1
