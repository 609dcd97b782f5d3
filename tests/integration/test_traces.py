"""On real PostgreSQL and Kafka, the trace context crosses the outbox and the notifications table: the relay sends a
row in the context of the transaction that wrote it, and a notice is delivered in the trace that made it (the
three services in one trace: tests/e2e/test_traces.py)."""

import asyncio
import json
from uuid import uuid4

from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from services.notification.adapters.notification_repository import NotificationRepository
from services.notification.app import MIGRATIONS as NOTIFICATION_MIGRATIONS
from services.notification.application.delivery import Delivery
from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.delivery_rules import AddressedNotice
from services.notification.domain.notices import Audience, Notice, NoticeKind
from shared.database import apply_migrations, create_pool
from shared.outbox import OutboxRelay, enqueue
from shared.topics import REFERRAL_ASSIGNED, REPORT_RECEIVED
from shared.trace_context import sent_with
from shared.tracing import Tracing
from tests.factories import report_received
from tests.integration.test_outbox_relay import outbox_pool, outbox_url, producer  # noqa: F401 - fixtures
from tests.kafka_tools import reading


async def test_the_relay_sends_a_row_in_the_context_that_wrote_it(infrastructure, outbox_pool, producer):  # noqa: F811
    exporter = InMemorySpanExporter()
    tracing = Tracing("intake", None, exporter=exporter)
    tracing.start()  # the aiokafka send span, and the headers it writes
    try:
        event = report_received()
        with tracing.tracer.start_as_current_span("accept report") as writing:
            async with outbox_pool.acquire() as connection, connection.transaction():
                await enqueue(connection, event, key=str(event.report_id))
        async with reading(infrastructure.kafka_bootstrap_servers, REPORT_RECEIVED) as reader:
            await OutboxRelay(outbox_pool, producer).publish_pending()
            record = await reader.find(lambda record: json.loads(record.value)["event_id"] == str(event.event_id))
    finally:
        tracing.stop()
    sender = sent_with(record)
    assert sender is not None and sender.trace_id == writing.get_span_context().trace_id
    send = next(span for span in exporter.get_finished_spans() if span.context.span_id == sender.span_id)
    assert send.kind is trace.SpanKind.PRODUCER and send.parent.span_id == writing.get_span_context().span_id


async def test_a_notice_is_delivered_in_the_trace_of_the_event_that_made_it(new_database):
    url = await new_database("traced_delivery")
    await asyncio.to_thread(apply_migrations, url, NOTIFICATION_MIGRATIONS)
    pool = await create_pool(url)
    exporter = InMemorySpanExporter()
    tracing = Tracing("notification", None, exporter=exporter)
    station = "140724104"
    notice = Notice(NoticeKind.ASSIGNED, Audience.ASSIGNEE, station, station, uuid4(), "新的转介", "请签收")
    addressed = AddressedNotice(uuid4(), notice, station, DeliveryChannel.WEBHOOK, "http://station.example/hook")
    sent: list[trace.SpanContext] = []

    class Catching:
        async def send(self, _message: object) -> None:
            sent.append(trace.get_current_span().get_span_context())

    try:
        with tracing.tracer.start_as_current_span(f"{REFERRAL_ASSIGNED} process") as making:
            async with pool.acquire() as connection, connection.transaction():
                await NotificationRepository(connection).add_pending([addressed])
        assert await Delivery(pool, {DeliveryChannel.WEBHOOK: Catching()}, tracer=tracing.tracer).deliver_due() == 1
    finally:
        await pool.close()
        tracing.stop()
    (delivery,) = [span for span in exporter.get_finished_spans() if span.name == "deliver assigned notice"]
    assert delivery.parent.span_id == making.get_span_context().span_id
    assert sent == [delivery.context]
