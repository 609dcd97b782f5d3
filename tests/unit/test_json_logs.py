"""Log lines: one JSON object each, with the service, level, logger and the ids of the work in hand, scrubbed
of personal data and free of terminal colour codes; and a request id per HTTP request."""

import io
import json
import logging
import subprocess
import sys
import textwrap

import httpx
from fastapi import FastAPI
from faststream.kafka import KafkaBroker, TestKafkaBroker
from opentelemetry import trace

from deploy.local.process import REPO_ROOT
from shared.consuming import register_consumer
from shared.events import ReportReceived
from shared.log_context import ContextFilter, log_ids
from shared.logs import JsonLines, PersonalDataFilter, TextLines
from shared.request_ids import HEADER, RequestIds
from tests.factories import VALID_CHILD_ID, report_received

ANSI = "\x1b["


def capture(formatter: logging.Formatter) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(PersonalDataFilter())
    handler.addFilter(ContextFilter())
    logger = logging.getLogger(f"test.json-logs.{id(stream)}")
    logger.handlers, logger.propagate, logger.level = [handler], False, logging.INFO
    return logger, stream


def lines_of(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_line_is_json_with_the_service_level_logger_message_and_ids():
    logger, stream = capture(JsonLines("referral"))
    with log_ids(request_id="req-12345678", event_id="e-1", report_id=None), log_ids(referral_id="r-1"):
        logger.warning("opened %d referral(s)", 2)
    logger.info("outside")
    inside, outside = lines_of(stream)
    assert list(inside)[:5] == ["timestamp", "service", "level", "logger", "message"]
    assert (inside["service"], inside["level"], inside["message"]) == ("referral", "WARNING", "opened 2 referral(s)")
    assert inside["logger"] == logger.name and inside["timestamp"].endswith("+00:00")
    assert (inside["request_id"], inside["event_id"], inside["referral_id"]) == ("req-12345678", "e-1", "r-1")
    assert "report_id" not in inside
    assert "request_id" not in outside and "referral_id" not in outside


def test_the_trace_id_of_the_current_span_is_on_the_line():
    logger, stream = capture(JsonLines("intake"))
    span = trace.NonRecordingSpan(trace.SpanContext(trace_id=0xABC, span_id=0x1, is_remote=False))
    with trace.use_span(span):
        logger.info("in a span")
    (line,) = lines_of(stream)
    assert line["trace_id"] == f"{0xABC:032x}"


def test_personal_data_is_scrubbed_from_the_message_and_the_traceback():
    logger, stream = capture(JsonLines("intake"))
    try:
        raise ValueError(f"Key (id_number)=({VALID_CHILD_ID}) already exists")
    except ValueError:
        logger.exception("could not store %s for 13912345678", "王小花的报告")
    (line,) = lines_of(stream)
    raw = stream.getvalue()
    assert VALID_CHILD_ID not in raw and "13912345678" not in raw
    assert line["message"] == "could not store 王小花的报告 for 139****5678"  # Chinese is written as it is
    assert "140724********0029" in line["exc_info"]


def test_no_colour_codes_reach_a_line():
    logger, stream = capture(JsonLines("notification"))
    logger.info("\x1b[32mstarted\x1b[0m", extra={"color_message": "\x1b[1mstarted\x1b[0m"})  # as uvicorn logs
    (line,) = lines_of(stream)
    assert line["message"] == "started" and "color_message" not in line
    assert ANSI not in stream.getvalue() and "\\u001b" not in stream.getvalue()


def test_the_text_form_names_the_ids_too():
    logger, stream = capture(TextLines("intake"))
    with log_ids(request_id="req-12345678"):
        logger.info("accepted")
    assert stream.getvalue().rstrip().endswith("intake INFO " + logger.name + ": accepted [request_id=req-12345678]")


def test_a_service_process_writes_only_json_lines_even_from_uvicorn_and_faststream():
    program = textwrap.dedent(
        """
        import logging
        import faststream
        import uvicorn
        from shared.logs import configure_logging
        from shared.messaging import create_broker
        create_broker("127.0.0.1:1", client_id="unit")
        configure_logging("intake", "INFO")  # as shared/serve.py does, then uvicorn, then the lifespan
        uvicorn.Config("services.intake.app:create_app", log_config=None, access_log=False)
        configure_logging("intake", "INFO")
        logging.getLogger("uvicorn.error").info("Started", extra={"color_message": "\\x1b[1mStarted\\x1b[0m"})
        logging.getLogger("uvicorn.access").info("GET /v1/reports?phone=... 200")  # the access log stays off
        logging.getLogger("faststream").warning("\\x1b[31mbroker\\x1b[0m down")
        logging.getLogger("faststream.access.kafka").info("Received", extra={"topic": "t", "message_id": ""})
        """
    )
    run = subprocess.run([sys.executable, "-c", program], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""  # nothing on a library's own handler
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [(line["logger"], line["message"]) for line in lines] == [
        ("uvicorn.error", "Started"),
        ("faststream", "broker down"),
        ("faststream.access.kafka", "Received"),
    ]
    assert lines[2]["topic"] == "t" and "message_id" not in lines[2]  # an empty field is left out
    assert ANSI not in run.stdout


def request_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(RequestIds)

    @app.get("/work")
    async def work() -> dict:
        logging.getLogger("test.request-ids").warning("working")
        return {}

    return app


async def test_a_request_id_is_taken_when_well_formed_else_made_and_returned_and_logged(caplog):
    caplog.handler.addFilter(ContextFilter())
    transport = httpx.ASGITransport(app=request_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        given = await http.get("/work", headers={HEADER: "gateway-7f3a9c21"})
        made = await http.get("/work")
        for unfit in ("short", "has spaces in it", "13912345678", VALID_CHILD_ID, "x" * 200):
            refused = await http.get("/work", headers={HEADER: unfit})
            assert refused.headers[HEADER] != unfit and len(refused.headers[HEADER]) == 32
    assert given.headers[HEADER] == "gateway-7f3a9c21"
    assert len(made.headers[HEADER]) == 32
    logged = [record.request_id for record in caplog.records if record.name == "test.request-ids"]
    assert logged[:2] == ["gateway-7f3a9c21", made.headers[HEADER]]


async def test_an_event_being_handled_puts_its_ids_on_the_lines_logged(caplog):
    caplog.handler.addFilter(ContextFilter())
    broker = KafkaBroker()

    async def handle(_event: ReportReceived) -> None:
        logging.getLogger("test.event-ids").warning("handled")

    register_consumer(broker, event_type=ReportReceived, group_id="unit", handle=handle)
    event = report_received()
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(event.model_dump_json().encode(), topic=ReportReceived.TOPIC)
    (record,) = [record for record in caplog.records if record.name == "test.event-ids"]
    assert (record.event_id, record.report_id) == (str(event.event_id), str(event.report_id))
    assert record.topic == ReportReceived.TOPIC
