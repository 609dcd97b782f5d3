"""What every service runs on: its database pool, its Kafka broker and, where it publishes, an outbox relay.

Nothing connects at import; `lifespan` connects at start-up and lets go at shut-down.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from pathlib import Path

import asyncpg
from fastapi import FastAPI, Request
from faststream.kafka import KafkaBroker
from starlette.middleware.gzip import GZipMiddleware

from shared import topics
from shared.consuming import E, register_consumer
from shared.database import apply_migrations, create_pool
from shared.health import health_router
from shared.http_errors import install_error_handlers
from shared.logs import configure_logging
from shared.messaging import create_broker, ensure_topics
from shared.metrics import OUTBOX_BACKLOG, Figure, FigureReporter, Metric, ServiceMetrics, install_metrics
from shared.outbox import OutboxRelay, create_producer
from shared.pages import install_assets_and_docs
from shared.request_guard import RequestGuard
from shared.request_ids import RequestIds
from shared.security_headers import SecurityHeaders
from shared.settings import ServiceSettings
from shared.tracing import Tracing, traces_endpoint

log = logging.getLogger(__name__)


class ServiceRuntime:
    def __init__(self, name: str, settings: ServiceSettings, migrations: Path, publishes: bool) -> None:
        self.name = name
        self.settings = settings
        self.migrations = migrations
        self.publishes = publishes
        self.consumer_group = settings.consumer_group or name
        self.consumer_groups: set[str] = set()  # every group it consumes in, for /metrics
        self.metrics = ServiceMetrics()
        self.whole_service_gauges: list[Callable[[], Metric]] = []  # kept alike in every instance's memory
        self.broker: KafkaBroker = create_broker(settings.kafka(), client_id=name)
        self.tracing = Tracing(name, traces_endpoint(settings.otlp_endpoint, settings.otlp_traces_endpoint))
        self._pool: asyncpg.Pool | None = None
        # Run once the database is up and before any event is consumed; then for the service's lifetime.
        self.on_startup: list[Callable[[], Awaitable[None]]] = []
        self.background: dict[str, Callable[[], Awaitable[None]]] = {}  # loops for the service's lifetime
        self.health_warnings: list[Callable[[], str | None]] = []

    def consume(self, event_type: type[E], handle: Callable[[E], Awaitable[None]], group: str | None = None) -> None:
        """Subscribes `handle` to the event's topic in this service's consumer group (or `group`)."""
        self._subscribe(event_type, group, handle=handle)

    def consume_batches(
        self, event_type: type[E], handle_many: Callable[[list[E]], Awaitable[None]], group: str | None = None
    ) -> None:
        """Like `consume`, for a handler that applies a whole batch of events in one transaction."""
        self._subscribe(event_type, group, handle_many=handle_many)

    def _subscribe(self, event_type: type[E], group: str | None, **handler: Callable) -> None:
        self.consumer_groups.add(group or self.consumer_group)
        register_consumer(
            self.broker,
            event_type=event_type,
            group_id=group or self.consumer_group,
            batch=self.settings.consumer_batch,
            poll_ms=self.settings.consumer_poll_ms,
            concurrency=self.settings.consumer_concurrency,
            metrics=self.metrics.consumers.of(group or self.consumer_group, event_type.TOPIC),
            tracer=self.tracing.tracer,
            **handler,
        )

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError(f"{self.name} has not started")
        return self._pool

    def create_app(
        self, *routers: object, title: str, figures: list[Figure] | None = None, connect_to: Iterable[str] = ()
    ) -> FastAPI:
        """`connect_to`: the other services the pages call from the browser (the issuer is added here)."""
        app = FastAPI(title=title, lifespan=self.lifespan, docs_url=None, redoc_url=None)
        app.state.runtime = self
        install_error_handlers(app)
        app.add_middleware(GZipMiddleware, minimum_size=1024)  # a station's list over a village's 4G
        app.add_middleware(RequestGuard)
        app.add_middleware(SecurityHeaders, connect_to=[*connect_to, self.settings.oidc_issuer or ""])
        app.add_middleware(RequestIds)  # outermost: a refusal by the others carries the id too
        install_assets_and_docs(app)
        probes = {"database": self._database_answers, "kafka": self._kafka_answers}
        app.include_router(health_router(probes, self.health_warnings))
        figures = [OUTBOX_BACKLOG, *(figures or [])]
        reporter = FigureReporter(self.name, self.settings, figures, lambda: self.pool, self.consumer_groups)
        reporter.from_memory = self.whole_service_gauges
        install_metrics(app, self.metrics, reporter)
        self.on_startup.append(reporter.try_to_report)
        self.background["whole-service figures"] = reporter.keep_reporting
        for router in routers:
            app.include_router(router)
        self.tracing.instrument_app(app)
        return app

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: FastAPI) -> AsyncIterator[None]:
        configure_logging(self.name, self.settings.log_level, self.settings.log_format)
        self.tracing.start()
        await asyncio.to_thread(apply_migrations, self.settings.database_url, self.migrations)
        self._pool = await create_pool(self.settings.database_url)
        try:  # a start that fails half-way lets go of what it took
            await ensure_topics(
                self.settings.kafka(),
                _all_topics(),
                self.settings.topic_partitions,
                topics.COMPACTED,
                replication=self.settings.topic_replication_factor,
                min_insync=self.settings.topic_min_insync_replicas,
                dead_letter_days=self.settings.dead_letter_retention_days,
            )
            for hook in self.on_startup:
                await hook()
            await self.broker.start()
            async with self._outbox_relay(), self._background_tasks():
                yield
        finally:
            await self.broker.stop()
            await self._pool.close()
            await asyncio.to_thread(self.tracing.stop)

    @contextlib.asynccontextmanager
    async def _outbox_relay(self) -> AsyncIterator[None]:
        if not self.publishes:
            yield
            return
        producer = create_producer(self.settings.kafka(), client_id=f"{self.name}-outbox")
        await producer.start()
        relay = asyncio.create_task(
            keep_running(lambda: OutboxRelay(self.pool, producer).run(), "outbox relay"),
            name=f"{self.name}-outbox-relay",
        )
        try:
            yield
        finally:
            relay.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await relay
            await producer.stop()

    @contextlib.asynccontextmanager
    async def _background_tasks(self) -> AsyncIterator[None]:
        tasks = [
            asyncio.create_task(keep_running(work, name), name=f"{self.name}-{name}")
            for name, work in self.background.items()
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _database_answers(self) -> bool:
        return await self.pool.fetchval("SELECT true")

    async def _kafka_answers(self) -> bool:
        return await self.broker.ping(timeout=2.0)


async def keep_running(work: Callable[[], Awaitable[None]], what: str, pause: float = 1.0) -> None:
    """Runs a loop that should never end; if it fails all the same, says so and starts it again, rather
    than leaving the service up with the work silently stopped."""
    while True:
        try:
            await work()
            return
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - whatever it was, the work must go on
            log.error("%s stopped on %s; starting it again", what, type(error).__name__)
            await asyncio.sleep(pause)


async def runtime_of(request: Request) -> ServiceRuntime:
    return request.app.state.runtime


def _all_topics() -> list[str]:
    return [name for topic in topics.ALL_TOPICS for name in (topic, topics.dead_letter_topic(topic))]
