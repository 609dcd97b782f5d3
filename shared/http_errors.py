"""HTTP error responses shared by the services.

A 422 names each bad field by its path with a stable code, and never echoes the submitted value
(it may be a name, an ID number or a phone). A database or broker outage is a 503 with Retry-After.
"""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from shared.consuming import OUTAGES

RETRY_AFTER_SECONDS = 5


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid_request)
    for outage in OUTAGES:
        app.add_exception_handler(outage, _unavailable)


async def _invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
    return JSONResponse(status_code=422, content={"errors": [_describe(e) for e in error.errors()]})


def _describe(error: dict) -> dict[str, str]:
    location = [str(part) for part in error["loc"] if part != "body"]
    return {
        "field": ".".join(location) or "body",
        "code": error["type"],
        "message": error.get("ctx", {}).get("reason") or error["msg"],
    }


async def _unavailable(_request: Request, _error: Exception) -> JSONResponse:
    return JSONResponse(
        status_code=503,
        content={"error": "service_unavailable", "message": "暂时无法保存，请稍后重试"},
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
