"""The figures of the whole service (counts from its database, consumer lag, what it keeps in memory for every
instance alike) are reported by one instance only: the one holding a PostgreSQL advisory lock on a connection
of its own. Were every instance to report them, `sum` would count them once per instance; reported once,
`sum`, `max` and a plain query all give the true figure, whichever way a dashboard adds them up.
`whole_service_reporter` says which instance reports (1) and which do not (0)."""

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import asyncpg
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from shared.consumer_lag import LagWatch
from shared.outages import OUTAGES
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)
# Session-wide: held until the connection ends. Two keys: a key space apart from the single-key locks that
# transactions take on business keys (shared/locks.py), so no child's or referral's lock can ever collide with it.
LOCK = "SELECT pg_try_advisory_lock(0, hashtext($1))"


@dataclass(frozen=True)
class Figure:
    """A count read from the service's database when scraped."""

    name: str
    help: str
    query: str  # SQL giving the label columns then the value, one row per sample
    labels: tuple[str, ...] = ()
    counter: bool = False


class FigureReporter:
    def __init__(
        self,
        service: str,
        settings: ServiceSettings,
        figures: list[Figure],
        pool: Callable[[], asyncpg.Pool],
        groups: Iterable[str],
    ) -> None:
        self.service = service
        self.database_url = settings.database_url
        self.every = settings.metrics_interval_seconds
        self.figures = figures
        self.pool = pool
        self.lag = LagWatch(settings.kafka(), groups)
        self.from_memory: Iterable[Callable[[], Metric]] = ()  # figures every instance keeps alike in memory
        self.reporting = False
        self._connection: asyncpg.Connection | None = None
        self._read: list[Metric] = []

    async def try_to_report(self) -> None:
        """Takes the lock if no other instance holds it; checks that the connection holding it still stands."""
        try:
            if self._connection is None or self._connection.is_closed():
                self.reporting = False
                self._connection = await asyncpg.connect(self.database_url)
            if self.reporting:
                await self._connection.fetchval("SELECT 1")
            elif await self._connection.fetchval(LOCK, f"whole-service figures of {self.service}"):
                self.reporting = True
                self.lag.begin()
                log.info("this instance reports the figures of the whole service")
        except OUTAGES as error:
            log.warning("whole-service figures: no database connection (%s)", type(error).__name__)
            await self.stop()

    async def keep_reporting(self) -> None:
        """Tries for the lock (or checks it) and measures the consumer lag, at the settings' interval."""
        try:
            while True:
                await self.try_to_report()
                if self.reporting:
                    with contextlib.suppress(Exception):  # said by LagWatch; the last measure stays
                        await self.lag.measure()
                else:
                    await self.lag.close()
                await asyncio.sleep(self.every)
        finally:
            await self.stop()

    async def stop(self) -> None:
        self.reporting = False
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(connection.close(), 5)
        await self.lag.close()

    async def read(self) -> None:
        """Reads the database's figures for a scrape, if this instance reports them."""
        self._read = []
        if not self.reporting:
            return
        try:
            async with self.pool().acquire() as connection:
                self._read = [await _read(connection, figure) for figure in self.figures]
        except OUTAGES as error:
            log.warning("whole-service figures not read (%s)", type(error).__name__)

    def collect(self) -> Iterable[Metric]:
        yield GaugeMetricFamily(
            "whole_service_reporter",
            "1 on the one instance reporting the figures of the whole service (counts, lag), 0 on the others",
            1 if self.reporting else 0,
        )
        if self.reporting:
            yield from self._read
            yield from self._unread()

    def every_family(self) -> list[Metric]:
        """Every family this may report, the counts without samples (what dashboards and alerts may name)."""
        return [*list(self.collect())[:1], *(_family(figure) for figure in self.figures), *self._unread()]

    def _unread(self) -> Iterable[Metric]:
        yield from self.lag.families()
        for family in self.from_memory:
            yield family()


def _family(figure: Figure) -> Metric:
    kind = CounterMetricFamily if figure.counter else GaugeMetricFamily
    return kind(figure.name, figure.help, labels=list(figure.labels))


async def _read(connection: asyncpg.Connection, figure: Figure) -> Metric:
    family = _family(figure)
    for row in await connection.fetch(figure.query):
        values = list(row.values())
        family.add_metric([str(value) for value in values[:-1]], float(values[-1] or 0))
    return family
