"""Real local receivers of notifications, on 127.0.0.1: a webhook endpoint and an SMS gateway (HTTP
servers in a thread) and an SMTP server (aiosmtpd). Each records what arrived."""

import contextlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from deploy.local.process import free_port
from services.notification.adapters.channels.webhook import receiver_signing_key, signature


@dataclass
class HttpReceiver:
    """Answers `failures_first` requests with 500 (or every one when `always_fail`), then 200 with `answer`.
    A webhook receiver checks the signature against the key of the code in its path (/hook/<code>) and acts
    once per notification id, as a receiver that deduplicates does."""

    secret: str = ""
    failures_first: int = 0
    always_fail: bool = False
    answer: dict = field(default_factory=lambda: {"ok": True})
    requests: list[dict] = field(default_factory=list)  # every request, retries included
    acted_on: dict[str, dict] = field(default_factory=dict)  # once per notification id
    bad_signatures: int = 0
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, path: str, headers: dict[str, str], raw: bytes) -> int:
        with self._lock:
            body = json.loads(raw)
            self.requests.append({"path": path, "headers": headers, "body": body})
            if self.always_fail or len(self.requests) <= self.failures_first:
                return 500
            if path.startswith("/hook/"):
                key = receiver_signing_key(self.secret, path.removeprefix("/hook/"))
                if not hmac.compare_digest(headers.get("x-signature-256", ""), signature(key, raw)):
                    self.bad_signatures += 1
                    return 401
                self.acted_on.setdefault(headers["x-notification-id"], body)
            return 200


@contextlib.contextmanager
def http_receiver(receiver: HttpReceiver) -> Iterator[HttpReceiver]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = receiver.handle(self.path, {k.lower(): v for k, v in self.headers.items()}, raw)
            answer = json.dumps(receiver.answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args) -> None:
            pass

    class Server(ThreadingHTTPServer):
        request_queue_size = 128  # the default 5 makes concurrent senders wait for SYN retries

    server = Server(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


class Mailbox:
    """What an SMTP server on this machine received, and its port."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.port = 0

    async def handle_DATA(self, _server, _session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


@contextlib.contextmanager
def smtp_server() -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) on a free port."""
    mailbox = Mailbox()
    mailbox.port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()
