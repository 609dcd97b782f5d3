"""A local stand-in for Alibaba Cloud SMS (dysmsapi SendSms) on 127.0.0.1: it recomputes each request's
signature on its own (Java-style URL encoding, as the platform's documentation gives it) and answers as the
real API does: Code "OK", or the error code of what it found wrong."""

import base64
import contextlib
import hashlib
import hmac
import json
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote_plus

REQUIRED = ("AccessKeyId", "Action", "PhoneNumbers", "SignName", "SignatureMethod", "SignatureNonce",
            "SignatureVersion", "TemplateCode", "Timestamp", "Version")  # fmt: skip


def documented_encode(text: str) -> str:
    return quote_plus(text, safe="").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


def documented_signature(secret: str, method: str, parameters: dict[str, str]) -> str:
    query = "&".join(f"{documented_encode(k)}={documented_encode(v)}" for k, v in sorted(parameters.items()))
    to_sign = f"{method}&{documented_encode('/')}&{documented_encode(query)}"
    return base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


@dataclass
class FakeAliyunSms:
    keys: dict[str, str]  # AccessKeyId -> AccessKeySecret
    sent: list[dict[str, str]] = field(default_factory=list)  # the requests it accepted
    refused: list[str] = field(default_factory=list)  # the codes it answered with
    url: str = ""
    _nonces: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, method: str, form: dict[str, str]) -> tuple[int, dict]:
        with self._lock:
            status, code = self._check(method, form)
            if code != "OK":
                self.refused.append(code)
                return status, {"Code": code, "Message": "refused", "RequestId": str(uuid.uuid4())}
            self.sent.append(form)
            return 200, {"Code": "OK", "Message": "OK", "BizId": uuid.uuid4().hex, "RequestId": str(uuid.uuid4())}

    def _check(self, method: str, form: dict[str, str]) -> tuple[int, str]:
        given = form.pop("Signature", "")
        if any(name not in form for name in REQUIRED) or form["SignatureMethod"] != "HMAC-SHA1":
            return 400, "MissingParameter"
        secret = self.keys.get(form["AccessKeyId"])
        if secret is None:
            return 404, "InvalidAccessKeyId.NotFound"
        if not hmac.compare_digest(given, documented_signature(secret, method, form)):
            return 400, "SignatureDoesNotMatch"
        if form["SignatureNonce"] in self._nonces:
            return 400, "SignatureNonceUsed"
        self._nonces.add(form["SignatureNonce"])
        if not re.fullmatch(r"1\d{10}", form["PhoneNumbers"]):
            return 200, "isv.MOBILE_NUMBER_ILLEGAL"
        try:
            json.loads(form.get("TemplateParam", "{}"))
        except ValueError:
            return 200, "isv.INVALID_JSON_PARAM"
        return 200, "OK"


@contextlib.contextmanager
def fake_aliyun_sms(fake: FakeAliyunSms) -> Iterator[FakeAliyunSms]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            form = dict(parse_qsl(raw, keep_blank_values=True))
            status, answer = fake.answer(self.command, form)
            content = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *_args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
