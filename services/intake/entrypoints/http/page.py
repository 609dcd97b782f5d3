"""The operator's web page: static files, and the one setting the browser needs (where referral is)."""

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from services.intake.deps import Runtime

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home() -> RedirectResponse:
    return RedirectResponse("/operator/")


@router.get("/receipt")
async def receipt_page() -> RedirectResponse:
    """The public page where a mandatory reporter looks up a receipt."""
    return RedirectResponse("/operator/receipt.html")


@router.get("/operator/config.json")
async def page_config(runtime: Runtime) -> dict[str, str]:
    return {"referral_url": runtime.settings.referral_url}


def mount_page(app: FastAPI, static: Path) -> None:
    app.include_router(router)
    app.mount("/operator", StaticFiles(directory=static, html=True), name="operator")
