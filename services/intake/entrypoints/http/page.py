"""The operator's web page: static files, and the settings the browser needs (where referral is, how to sign in)."""

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from services.intake.deps import Runtime
from shared.pages import sign_in_settings

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home() -> RedirectResponse:
    return RedirectResponse("/operator/")


@router.get("/receipt")
async def receipt_page() -> RedirectResponse:
    """The public page where a mandatory reporter looks up a receipt."""
    return RedirectResponse("/operator/receipt.html")


@router.get("/operator/config.json")
async def page_config(runtime: Runtime) -> dict[str, str | None]:
    return {"referral_url": runtime.settings.referral_url} | sign_in_settings(runtime.settings)


def mount_page(app: FastAPI, static: Path) -> None:
    app.include_router(router)
    app.mount("/operator", StaticFiles(directory=static, html=True), name="operator")
