"""A tiny OTLP/HTTP trace receiver for tests: keeps the spans that services export to it (the local trace
catcher's server, keeping spans in memory rather than in a file)."""

import contextlib
import threading
from collections.abc import Iterator

from deploy.local.trace_catcher import CaughtSpan, catching_server


class Receiver:
    def __init__(self) -> None:
        self.spans: list[CaughtSpan] = []
        self._lock = threading.Lock()
        self.url = ""

    def take(self, spans: list[CaughtSpan]) -> None:
        with self._lock:
            self.spans.extend(spans)

    def in_trace(self, trace_id: str) -> list[CaughtSpan]:
        with self._lock:
            return [span for span in self.spans if span.trace_id == trace_id]


@contextlib.contextmanager
def otlp_receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    server = catching_server("127.0.0.1", 0, receiver.take)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
