"""`/metrics` in Prometheus' text format. Every figure is read when scraped: counts from the service's own
database (so they survive restarts and agree between instances), consumer lag from the broker. Counts
only: no figure carries a name, a code of a child or anything else personal."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import asyncpg
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import APIRouter, Request, Response
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

Samples = list[tuple[tuple[str, ...], float]]  # label values and the value


@dataclass(frozen=True)
class Figure:
    name: str
    help: str
    query: str  # SQL giving the label columns then the value, one row per sample
    labels: tuple[str, ...] = ()
    counter: bool = False


OUTBOX_BACKLOG = Figure(
    "outbox_backlog",
    "Events written but not yet published to Kafka",
    "SELECT count(*) FROM outbox WHERE published_at IS NULL",
)


async def _read(connection: asyncpg.Connection, figure: Figure) -> Metric:
    family = (CounterMetricFamily if figure.counter else GaugeMetricFamily)(
        figure.name, figure.help, labels=list(figure.labels)
    )
    for row in await connection.fetch(figure.query):
        values = list(row.values())
        family.add_metric([str(value) for value in values[:-1]], float(values[-1] or 0))
    return family


async def consumer_lag(bootstrap: str, groups: Iterable[str]) -> Metric:
    family = GaugeMetricFamily("consumer_lag", "Messages not yet consumed", labels=["group", "topic"])
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    ends = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await admin.start()
    await ends.start()
    try:
        for group in sorted(groups):
            committed = await admin.list_consumer_group_offsets(group)
            latest = await ends.end_offsets(list(committed)) if committed else {}
            per_topic: dict[str, int] = {}
            for partition, meta in committed.items():
                if meta.offset >= 0:
                    lag = max(0, latest[partition] - meta.offset)
                    per_topic[partition.topic] = per_topic.get(partition.topic, 0) + lag
            for topic, lag in sorted(per_topic.items()):
                family.add_metric([group, topic], lag)
    finally:
        await ends.stop()
        await admin.close()
    return family


class _Collected:
    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> list[Metric]:
        return self.families


def metrics_router(
    figures: list[Figure], pool: Callable[[], asyncpg.Pool], bootstrap: str, groups: Iterable[str]
) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/metrics")
    async def metrics(_request: Request) -> Response:
        async with pool().acquire() as connection:
            families = [await _read(connection, figure) for figure in (OUTBOX_BACKLOG, *figures)]
        families.append(await consumer_lag(bootstrap, groups))
        registry = CollectorRegistry()
        registry.register(_Collected(families))
        return Response(generate_latest(registry), media_type="text/plain; version=0.0.4; charset=utf-8")

    return router
