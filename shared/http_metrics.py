"""Times every HTTP request by its route template (`/v1/reports/{report_id}`), never its raw path: a path
carries ids, and one series per id would swamp Prometheus (and a path may carry what is not to be kept)."""

import time

from prometheus_client import Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNMATCHED = "unmatched"  # no route took the request (a 404 outside the static folders)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})  # any other is "other"


class HttpMetrics:
    def __init__(self, app: ASGIApp, histogram: Histogram) -> None:
        self.app = app
        self.histogram = histogram

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # what the client gets if the app fails before answering
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            elapsed = time.perf_counter() - started
            method = scope["method"] if scope["method"] in METHODS else "other"
            self.histogram.labels(method, route_template(scope), f"{status // 100}xx").observe(elapsed)


def route_template(scope: Scope) -> str:
    """The matched route's path, or the folder a static mount serves (`/operator/{path}`)."""
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    if path:
        return path
    mounted = scope.get("root_path", "")
    return f"{mounted}/{{path}}" if mounted else UNMATCHED
