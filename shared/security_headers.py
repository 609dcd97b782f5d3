"""The headers every response carries, pages and API alike: a content security policy that runs only the
service's own scripts (no inline script, no CDN), lets the pages call only the origins they need (the other
services they read from and the identity provider), and keeps the pages out of any frame; no MIME sniffing;
no referrer, since a page's address can carry a case or a sign-in code."""

from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def origin(url: str) -> str | None:
    """The scheme, host and port of a URL; None for one that has none."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def content_security_policy(connect_to: Iterable[str]) -> str:
    origins = sorted({found for url in connect_to if url and (found := origin(url))})
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",  # Swagger UI's icons are data: URLs in its stylesheet
        "connect-src": " ".join(["'self'", *origins]),
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeaders:
    def __init__(self, app: ASGIApp, connect_to: Iterable[str] = ()) -> None:
        self.app = app
        self.headers = {
            "Content-Security-Policy": content_security_policy(connect_to),
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
