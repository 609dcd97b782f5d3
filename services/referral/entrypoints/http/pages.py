"""The pages of the people who work the cases, in Chinese: the workbench (a station's inbox, a county
centre's desk, the hotline supervisors' unrouted queue; what it shows follows the token's role) and the
coordinating committee's dashboard. Static files; the browser needs where notification is and how to sign in."""

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from services.referral.deps import Runtime
from shared.pages import sign_in_settings

router = APIRouter(include_in_schema=False)


@router.get("/pages/config.json")
async def page_config(runtime: Runtime) -> dict[str, str | None]:
    urls = {"notification_url": runtime.settings.notification_url, "intake_url": runtime.settings.intake_url}
    return urls | sign_in_settings(runtime.settings)


def mount_pages(app: FastAPI, static: Path) -> None:
    app.include_router(router)
    app.mount("/pages", StaticFiles(directory=static, html=True), name="pages")
