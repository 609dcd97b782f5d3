"""Hostile values, and every place of an operation they can be put: each path and query parameter, and each
property of its JSON body (found in the OpenAPI schema, nested objects and arrays included). Requests are
built here rather than by schemathesis, so that what no HTTP library would encode (a lone surrogate in a URL)
still reaches the service, percent-encoded as its UTF-8 bytes."""

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

HOSTILE_TEXT = ["\x00", "王\x00小花", "\ud800", "a\udfffb", "\x07\x1b[2J", "\u202e", "", "𠀀" * 300]
BOUNDARY_TIMES = [
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-14:00",
    "9999-12-31T23:59:59+14:00",
    "9999-12-31T23:59:59-14:00",
    "1900-01-01T00:00:00",
]
HUGE_NUMBERS = [10**30, -(10**30), 2**63, -(2**63) - 1, 1e308, -1e308, 10**4000]
HOSTILE: list[Any] = HOSTILE_TEXT + BOUNDARY_TIMES + HUGE_NUMBERS


@dataclass(frozen=True)
class Place:
    location: str  # path, query or body
    name: str  # a parameter's name, or the dotted path of a body property ("child.status.0")


def places(operation: dict, spec: dict) -> Iterator[Place]:
    for parameter in operation.get("parameters", []):
        if parameter["in"] in ("path", "query"):
            yield Place(parameter["in"], parameter["name"])
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None:
        for path in _property_paths(body["schema"], spec, "", depth=0):
            yield Place("body", path)


def _resolved(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        *_, name = schema["$ref"].split("/")
        schema = spec["components"]["schemas"][name]
    return schema


def _property_paths(schema: dict, spec: dict, prefix: str, depth: int) -> Iterator[str]:
    schema = _resolved(schema, spec)
    if prefix:
        yield prefix
    if depth > 4:
        return
    for option in schema.get("anyOf", []) + schema.get("allOf", []) + schema.get("oneOf", []):
        yield from (path for path in _property_paths(option, spec, prefix, depth + 1) if path != prefix)
    for name, inner in schema.get("properties", {}).items():
        yield from _property_paths(inner, spec, f"{prefix}.{name}" if prefix else name, depth + 1)
    if "items" in schema:
        yield from (path for path in _property_paths(schema["items"], spec, f"{prefix}.0", depth + 1) if path)


def _put(body: Any, path: str, value: Any) -> Any:
    """A copy of body with value at the dotted path, made where missing (a number is a list index)."""
    parts = path.split(".")
    root = copy.deepcopy(body) if isinstance(body, dict) else {}
    here = root
    for part, following in zip(parts, parts[1:] + [None], strict=True):
        key: Any = int(part) if isinstance(here, list) else part
        if following is None:
            if isinstance(here, list):
                here[:] = [value]
            else:
                here[key] = value
            break
        child = here[0] if isinstance(here, list) and here else here.get(key) if isinstance(here, dict) else None
        if not isinstance(child, dict | list):
            child = [] if following.isdigit() else {}
        if isinstance(here, list):
            here[:] = [child]
        else:
            here[key] = child
        here = child
    return root


def _encoded(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    body: bytes | None


def hostile_request(method: str, path: str, base: dict[str, Any], place: Place, value: Any, base_url: str) -> Request:
    """The base request (path parameters, query, body) with value put in one place."""
    path_parameters, query, body = dict(base["path"]), dict(base["query"]), base["body"]
    if place.location == "path":
        path_parameters[place.name] = value
    elif place.location == "query":
        query[place.name] = value
    else:
        body = _put(body, place.name, value)
    for name, given in path_parameters.items():
        path = path.replace(f"{{{name}}}", _encoded(given))
    url = base_url + path
    if query:
        url += "?" + "&".join(f"{quote(name)}={_encoded(given)}" for name, given in query.items())
    content = None if body is None else json.dumps(body).encode()  # \ud800 travels as its JSON escape
    return Request(method.upper(), url, content)
