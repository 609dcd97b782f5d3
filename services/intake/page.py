"""The operator's web page: static files, and the one setting the browser needs (where referral is)."""

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home() -> RedirectResponse:
    return RedirectResponse("/operator/")


@router.get("/operator/config.json")
async def page_config(request: Request) -> dict[str, str]:
    return {"referral_url": request.app.state.runtime.settings.referral_url}


def mount_page(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/operator", StaticFiles(directory=STATIC, html=True), name="operator")
