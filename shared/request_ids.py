"""A request id for every HTTP request: the caller's `X-Request-ID` when it is well formed (a gateway's, say,
so that its logs and ours meet), else a new one. It is on every log line written while the request is
handled, and answered in the response's `X-Request-ID`."""

import re
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.log_context import log_ids
from shared.logs import scrub

HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


def request_id_from(given: str | None) -> str:
    """The caller's id if it is well formed and shaped like no personal data, else a new one."""
    if given and _WELL_FORMED.fullmatch(given) and scrub(given) == given:
        return given
    return uuid.uuid4().hex


class RequestIds:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers", [])).get(HEADER.lower().encode(), b"").decode("latin-1")
        request_id = request_id_from(given)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        with log_ids(request_id=request_id):
            await self.app(scope, receive, send_with_id)
