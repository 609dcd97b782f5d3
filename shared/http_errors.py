"""HTTP error responses shared by the services.

A 422 names each bad field by its path with a stable code and a message an operator understands,
and never echoes the submitted value (it may be a name, an ID number or a phone). A database or
broker outage is a 503 with Retry-After.
"""

from dataclasses import asdict
from typing import Literal

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.audit_trail import audit_refusal
from shared.domain.problems import Conflict, FieldProblem, FieldProblems, Forbidden, NotFound, NotReady, Refused
from shared.outages import OUTAGES

RETRY_AFTER_SECONDS = 5

MESSAGES = {
    "missing": "必填项",
    "string_too_short": "不能为空",
    "string_too_long": "内容过长（最多{max_length}字）",
    "too_short": "至少选择一项",
    "too_long": "选项过多",
    "enum": "不是可选的代码",
    "literal_error": "不是可选的代码",
    "string_pattern_mismatch": "格式不正确",
    "less_than_equal": "不能大于{le}",
    "greater_than_equal": "不能小于{ge}",
    "extra_forbidden": "不认识的字段",
    "json_invalid": "不是有效的JSON",
}
FALLBACK_MESSAGE = "格式不正确"


class ProblemView(BaseModel):
    field: str
    code: str
    message: str


class Problems(BaseModel):
    errors: list[ProblemView]


class Refusal(BaseModel):
    detail: str
    missing: list[str] | None = None  # a 409's steps still to take, by code
    code: str | None = None  # why a 409 refused, for a program (such as no_longer_held)


class Unavailable(BaseModel):
    error: Literal["service_unavailable"]
    message: str


_ERROR_ANSWERS = {
    401: {"model": Refusal, "description": "no valid token"},
    403: {"model": Refusal, "description": "the caller's role may not do this"},
    404: {"model": Refusal, "description": "not found, or outside the caller's area"},
    409: {"model": Refusal, "description": "not allowed in the case's present state"},
    422: {"model": Problems, "description": "each bad field named by its path"},
    503: {"model": Unavailable, "description": "the database or broker is out; retry after Retry-After seconds"},
}


def error_answers(*statuses: int) -> dict[int | str, dict]:
    """How a router's error answers look, for its OpenAPI document (422 replaces FastAPI's own shape)."""
    return {status: _ERROR_ANSWERS[status] for status in statuses}


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(FieldProblems, _field_problems)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(NotReady, _unavailable)
    for outage in OUTAGES:
        app.add_exception_handler(outage, _unavailable)


def unprocessable(problems: list[FieldProblem]) -> JSONResponse:
    return JSONResponse(status_code=422, content={"errors": [asdict(problem) for problem in problems]})


async def _invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
    return unprocessable(validation_problems(error.errors()))


def validation_problems(errors: list[dict]) -> list[FieldProblem]:
    """pydantic's errors as a 422 names them (a body validated apart, such as each item of a batch)."""
    return [_describe(e) for e in errors]


REFUSAL_STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409}


async def _refused(request: Request, error: Refused) -> JSONResponse:
    content: dict[str, object] = {"detail": error.message}
    if isinstance(error, Conflict) and error.missing:
        content["missing"] = list(error.missing)
    if isinstance(error, Conflict) and error.code:
        content["code"] = error.code
    status = REFUSAL_STATUS.get(type(error), 409)
    await audit_refusal(request, status)
    return JSONResponse(status_code=status, content=content)


async def _http_exception(request: Request, error: StarletteHTTPException) -> Response:
    await audit_refusal(request, error.status_code)
    return await http_exception_handler(request, error)


async def _field_problems(_request: Request, error: FieldProblems) -> JSONResponse:
    return unprocessable(error.problems)


def _describe(error: dict) -> FieldProblem:
    code = error["type"]
    # a body that is not JSON is named as the body: its location is a character position, not a field
    parts = [] if code == "json_invalid" else error["loc"]
    location = [str(part) for part in parts if part not in ("body", "query", "path", "header")]
    if code in MESSAGES:
        message = MESSAGES[code].format(**{k: v for k, v in error.get("ctx", {}).items() if k != "error"})
    elif code.endswith("_parsing") or code.endswith("_type"):
        message = FALLBACK_MESSAGE
    else:
        message = error["msg"]  # our own PydanticCustomError messages are already Chinese
    return FieldProblem(field=".".join(location) or "body", code=code, message=message)


async def _unavailable(_request: Request, error: Exception) -> JSONResponse:
    message = error.message if isinstance(error, NotReady) else "暂时无法保存，请稍后重试"
    return JSONResponse(
        status_code=503,
        content={"error": "service_unavailable", "message": message},
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
