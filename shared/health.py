"""Liveness and readiness: ready only while the service's broker and database both answer. Warnings
(something an administrator should see to soon) are reported without making the service unready."""

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Response

Probe = Callable[[], Awaitable[bool]]
WarningCheck = Callable[[], str | None]


def health_router(
    probes: dict[str, Probe], warnings: list[WarningCheck] | None = None, timeout: float = 2.0
) -> APIRouter:
    router = APIRouter(prefix="/health", tags=["health"])

    @router.get("/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/ready")
    async def ready(response: Response) -> dict[str, object]:
        results = {name: await _answers(probe, timeout) for name, probe in probes.items()}
        is_ready = all(results.values())
        if not is_ready:
            response.status_code = 503
        noted = [text for warning in warnings or [] if (text := warning())]
        return {"status": "ready" if is_ready else "not ready", "checks": results, "warnings": noted}

    return router


async def _answers(probe: Probe, timeout: float) -> bool:
    try:
        return bool(await asyncio.wait_for(probe(), timeout))
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False
