"""What one process measures of its own work: HTTP requests, consumed batches, dead letters, and the process
itself (CPU, memory, open files, garbage collection). Each instance counts only what it did, so these add up
across instances: `sum` them freely."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import (
    CollectorRegistry,
    Counter,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
)

disable_created_metrics()  # no `_created` series beside every counter and histogram: twice the series for nothing

BATCH_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
BATCH_RECORDS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


class ConsumerMetrics:
    """How long each consumed batch took and how many records it held, per consumer group and topic."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        labels = ["group", "topic"]
        self.seconds = Histogram(
            "consumer_batch_duration_seconds",
            "Time to handle one batch of consumed records (a batch delivered again is timed again)",
            labels,
            buckets=BATCH_SECONDS,
            registry=registry,
        )
        self.records = Histogram(
            "consumer_batch_records", "Records in one consumed batch", labels, buckets=BATCH_RECORDS, registry=registry
        )
        self.dead_letters = Counter(
            "consumer_dead_letters", "Records set aside on a dead-letter topic", labels, registry=registry
        )

    def of(self, group: str, topic: str) -> "ConsumerCounts":
        return ConsumerCounts(self, group, topic)


class ConsumerCounts:
    """One consumer's series, made at zero when it is registered: a first dead letter then shows as an
    increase (a series that first appears at 1 would not)."""

    def __init__(self, metrics: ConsumerMetrics, group: str, topic: str) -> None:
        self.seconds = metrics.seconds.labels(group, topic)
        self.records = metrics.records.labels(group, topic)
        self.dead_letters = metrics.dead_letters.labels(group, topic)

    @contextmanager
    def batch(self, records: int) -> Iterator[None]:
        self.records.observe(records)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds.observe(time.perf_counter() - started)

    def dead_lettered(self) -> None:
        self.dead_letters.inc()


class ServiceMetrics:
    """The process's own registry: one per service app, so that apps built side by side in one test process
    keep their figures apart."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self.http = Histogram(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status class (2xx, 4xx...)",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.consumers = ConsumerMetrics(self.registry)


UNCOUNTED = ConsumerMetrics().of("", "")  # a consumer registered outside a service (tests, tools): counted nowhere
