"""One report's trace, exported over OTLP/HTTP, spans the three services in-process on real PostgreSQL and Kafka:
intake's request, referral's routing and notification's clocks; and the outbox relay sends a row in the context
of the transaction that wrote it, and a notice is delivered in the trace that made it."""

import asyncio
import contextlib
import json
from uuid import uuid4

from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from services.intake.app import create_app as create_intake
from services.intake.settings import IntakeSettings
from services.notification.adapters.notification_repository import NotificationRepository
from services.notification.app import MIGRATIONS as NOTIFICATION_MIGRATIONS
from services.notification.app import create_app as create_notification
from services.notification.application.delivery import Delivery
from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.delivery_rules import AddressedNotice
from services.notification.domain.notices import Audience, Notice, NoticeKind
from services.notification.settings import NotificationSettings
from services.referral.app import create_app as create_referral
from services.referral.settings import ReferralSettings
from shared.database import apply_migrations, create_pool
from shared.outbox import OutboxRelay, enqueue
from shared.topics import REFERRAL_ASSIGNED, REPORT_RECEIVED
from shared.trace_context import sent_with
from shared.tracing import Tracing
from tests.auth import service_settings
from tests.demo_directory import knowing_the_demo_directory
from tests.factories import report_body, report_received
from tests.integration.conftest import serving
from tests.integration.test_outbox_relay import outbox_pool, producer  # noqa: F401 - fixtures
from tests.kafka_tools import reading
from tests.otlp_receiver import otlp_receiver
from tests.waiting import eventually


async def test_one_reports_trace_spans_intake_referral_and_notification(
    infrastructure, intake_database, referral_database, new_database, monkeypatch
):
    monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "100")  # export within a moment, not every 5 s
    kafka = infrastructure.kafka_bootstrap_servers
    urls = await intake_database(), await referral_database(), await new_database("notification")
    with otlp_receiver() as receiver:
        traced = {"otlp_endpoint": receiver.url}
        intake = create_intake(service_settings(IntakeSettings, urls[0], kafka, **traced))
        referral = create_referral(service_settings(ReferralSettings, urls[1], kafka, **traced))
        notification = create_notification(service_settings(NotificationSettings, urls[2], kafka, **traced))
        async with contextlib.AsyncExitStack() as services:
            client = await services.enter_async_context(serving(intake))
            await services.enter_async_context(serving(referral))
            await services.enter_async_context(serving(knowing_the_demo_directory(notification)))
            answer = await client.post("/v1/reports", json=report_body())
            assert answer.status_code == 201, answer.text
            (request,) = await eventually(lambda: _named(receiver, "POST /v1/reports"), what="the request's span")

            async def across_the_services() -> list:
                spans = receiver.in_trace(request.trace_id)
                names = {(span.service, span.name) for span in spans}
                wanted = {("referral", f"{REPORT_RECEIVED} process"), ("notification", f"{REFERRAL_ASSIGNED} process")}
                return spans if wanted <= names else []

            await eventually(across_the_services, what="referral's and notification's spans in its trace")
        spans = receiver.in_trace(request.trace_id)  # all of them, now that the services have sent what was left

    assert request.service == "intake" and request.parent_span_id == ""
    assert {"intake", "referral", "notification"} <= {span.service for span in spans}
    ids = {span.span_id for span in spans}
    assert all(span.parent_span_id in ids for span in spans if span is not request)  # one tree, no orphan


async def _named(receiver, name: str) -> list:
    return [span for span in receiver.spans if span.name == name]


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
            records = [r for r in await reader.read(1) if json.loads(r.value)["event_id"] == str(event.event_id)]
    finally:
        tracing.stop()
    sender = sent_with(records[0])
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
