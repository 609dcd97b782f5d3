"""Refuses text no database column can hold, before any route sees it: NUL and other control characters
(tab, line feed and carriage return are text) and lone surrogates, in the path, the query and a JSON body.
Each is answered 422 with the field it was found in, and the value is never echoed. A JSON body nested deeper
than any request needs is a 422 naming the body."""

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.domain.problems import FieldProblem
from shared.domain.text import UNSTORABLE
from shared.domain.text import UNSTORABLE_CODE as CODE
from shared.domain.text import UNSTORABLE_MESSAGE as MESSAGE
from shared.http_errors import unprocessable

MAX_DEPTH = 32  # levels of JSON values; the deepest request (a batch's child status) has 5
TOO_DEEP = FieldProblem(field="body", code="json_too_deep", message="JSON嵌套层数过多")


def unstorable_fields(value: Any, path: str = "") -> Iterator[str]:
    """The dotted paths of every string (or key) in a parsed JSON value that holds unstorable characters."""
    if isinstance(value, str):
        if UNSTORABLE.search(value):
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if UNSTORABLE.search(str(key)):
                yield here
            else:
                yield from unstorable_fields(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unstorable_fields(item, f"{path}.{index}" if path else str(index))


class RequestGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problems = _unstorable(self._in_path_and_query(scope))
        if not problems and _has_json_body(scope):
            body = await _read_body(receive)
            problems = _in_json(body)
            receive = _replay(body)
        if problems:
            await unprocessable(problems)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _in_path_and_query(scope: Scope) -> Iterator[str]:
        if UNSTORABLE.search(scope.get("path", "")):
            yield "path"
        query = scope.get("query_string", b"").decode("latin-1")
        for name, value in parse_qsl(query, keep_blank_values=True, errors="surrogateescape"):
            if UNSTORABLE.search(name) or UNSTORABLE.search(value):
                yield name if not UNSTORABLE.search(name) else "query"


def _has_json_body(scope: Scope) -> bool:
    if scope.get("method") not in ("POST", "PUT", "PATCH"):
        return False
    content_type = dict(scope.get("headers", [])).get(b"content-type", b"application/json")
    return b"json" in content_type


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _unstorable(fields: Iterator[str]) -> list[FieldProblem]:
    return [FieldProblem(field=field, code=CODE, message=MESSAGE) for field in dict.fromkeys(fields)]


def _in_json(body: bytes) -> list[FieldProblem]:
    try:
        parsed = json.loads(body)
    except RecursionError:
        return [TOO_DEEP]
    except ValueError:
        return []  # the route's own validation answers a body that is not JSON
    return [TOO_DEEP] if _depth(parsed) > MAX_DEPTH else _unstorable(unstorable_fields(parsed))


def _depth(value: Any) -> int:
    deepest, level = 0, [value]
    while level:
        deepest += 1
        level = [
            inner
            for item in level
            if isinstance(item, dict | list)
            for inner in (item.values() if isinstance(item, dict) else item)
        ]
    return deepest


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
