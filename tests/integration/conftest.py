from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from tests.auth import bearer


@asynccontextmanager
async def serving(app: FastAPI, headers: dict[str, str] | None = None) -> AsyncIterator[httpx.AsyncClient]:
    """Runs a service in this process, start-up to shut-down, with an HTTP client bound to it
    (by default an operator's)."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        headers = bearer() if headers is None else headers
        async with httpx.AsyncClient(transport=transport, base_url="http://service", headers=headers) as client:
            yield client
