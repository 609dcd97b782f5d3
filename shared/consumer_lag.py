"""Consumer lag, measured at an interval on Kafka connections kept open, never on a scrape: a scrape only
reads the last measure, with its age (`consumer_lag_age_seconds`), so that a lag left unmeasured shows."""

import logging
import time
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client.core import GaugeMetricFamily, Metric

from shared.kafka_connection import KafkaTarget, kafka_connection

log = logging.getLogger(__name__)


class LagWatch:
    def __init__(self, kafka: KafkaTarget, groups: Iterable[str]) -> None:
        self.kafka = kafka
        self.groups = groups  # read at each measure: the consumers are registered after this is built
        self.lag: dict[tuple[str, str], int] = {}  # (group, topic) -> messages not yet consumed
        self.measured_at: float | None = None  # time.monotonic() of the last measure
        self.since = time.monotonic()  # when it began to measure: the age of a lag never measured yet
        self._clients: tuple[AIOKafkaAdminClient, AIOKafkaConsumer] | None = None

    async def measure(self) -> None:
        try:
            admin, ends = await self._connected()
            lag: dict[tuple[str, str], int] = {}
            for group in sorted(self.groups):
                committed = await admin.list_consumer_group_offsets(group)
                latest = await ends.end_offsets(list(committed)) if committed else {}
                for partition, meta in committed.items():
                    if meta.offset >= 0:
                        key = (group, partition.topic)
                        lag[key] = lag.get(key, 0) + max(0, latest[partition] - meta.offset)
        except Exception as error:
            log.warning("consumer lag not measured (%s); keeping the last measure", type(error).__name__)
            await self.close()  # connect afresh next time
            raise
        self.lag, self.measured_at = lag, time.monotonic()

    def begin(self) -> None:
        """Starts the age of a lag not measured yet from now (when this instance began to report)."""
        self.since = time.monotonic()

    def families(self) -> list[Metric]:
        lag = GaugeMetricFamily("consumer_lag", "Messages not yet consumed", labels=["group", "topic"])
        for (group, topic), messages in sorted(self.lag.items()):
            lag.add_metric([group, topic], messages)
        age = time.monotonic() - (self.since if self.measured_at is None else self.measured_at)
        return [lag, GaugeMetricFamily("consumer_lag_age_seconds", "Seconds since consumer lag was measured", age)]

    async def _connected(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._clients is None:
            options = kafka_connection(self.kafka).client_options()
            admin, ends = AIOKafkaAdminClient(**options), AIOKafkaConsumer(**options, group_id=None)
            await admin.start()
            try:
                await ends.start()
            except BaseException:
                await admin.close()
                raise
            self._clients = admin, ends
        return self._clients

    async def close(self) -> None:
        if self._clients is not None:
            admin, ends = self._clients
            self._clients = None
            await ends.stop()
            await admin.close()
