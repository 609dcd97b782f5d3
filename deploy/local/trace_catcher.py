"""A trace catcher for the local system, as the mail catcher is for e-mail: an OTLP/HTTP endpoint that writes
each span the services export as one JSON line (service, name, ids, times; no attribute, so nothing a span may
hold about a case) to a file. `./run` starts it and points the services at it.

    python -m deploy.local.trace_catcher --port 18318 --file .run/traces/spans.jsonl
"""

import argparse
import json
import threading
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)


@dataclass(frozen=True)
class CaughtSpan:
    service: str
    name: str
    trace_id: str
    span_id: str
    parent_span_id: str
    links: tuple[str, ...]  # the trace ids it links to
    start_ns: int
    end_ns: int


def decoded_spans(body: bytes) -> list[CaughtSpan]:
    """The spans of one OTLP/HTTP protobuf export request."""
    request = ExportTraceServiceRequest.FromString(body)
    return [
        CaughtSpan(
            service=_service_of(resource_spans.resource.attributes),
            name=span.name,
            trace_id=span.trace_id.hex(),
            span_id=span.span_id.hex(),
            parent_span_id=span.parent_span_id.hex(),
            links=tuple(link.trace_id.hex() for link in span.links),
            start_ns=span.start_time_unix_nano,
            end_ns=span.end_time_unix_nano,
        )
        for resource_spans in request.resource_spans
        for scope_spans in resource_spans.scope_spans
        for span in scope_spans.spans
    ]


def _service_of(attributes) -> str:
    return next((a.value.string_value for a in attributes if a.key == "service.name"), "")


def catching_server(host: str, port: int, take) -> ThreadingHTTPServer:
    """An OTLP/HTTP server that hands each export's spans to `take`."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            take(decoded_spans(self.rfile.read(int(self.headers["Content-Length"]))))
            answer = ExportTraceServiceResponse().SerializeToString()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_: object) -> None:
            pass

    return ThreadingHTTPServer((host, port), Handler)


def writer(file: IO[str]):
    lock = threading.Lock()

    def take(spans: list[CaughtSpan]) -> None:
        with lock:
            for span in spans:
                file.write(json.dumps(asdict(span)) + "\n")
            file.flush()

    return take


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m deploy.local.trace_catcher")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=18318)
    parser.add_argument("--file", type=Path, required=True)
    args = parser.parse_args()
    args.file.parent.mkdir(parents=True, exist_ok=True)
    with args.file.open("a", encoding="utf-8") as file:
        catching_server(args.host, args.port, writer(file)).serve_forever()


if __name__ == "__main__":
    main()
