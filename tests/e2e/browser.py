"""Debian's Chromium, headless, driven by Playwright: pages opened with a given token."""

import contextlib
import shutil
from collections.abc import AsyncIterator

from playwright.async_api import Browser, Page, async_playwright

from tests.artifacts import ARTIFACTS

SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is needed: ./test installs it"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            await browser.close()


DESK = {"viewport": {"width": 1400, "height": 1000}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}


async def open_page(
    browser: Browser, url: str, token: str, *, phone: bool = False, timezone_id: str | None = None
) -> Page:
    """A page in a context of its own, signed in with `token` (the pages keep it in sessionStorage), on a desk
    screen or a phone (390×844), in the device's time zone `timezone_id` when given."""
    device = PHONE if phone else DESK
    zone = {"timezone_id": timezone_id} if timezone_id else {}
    context = await browser.new_context(locale="zh-CN", **device, **zone)
    await context.add_init_script(f"sessionStorage.setItem('token', '{token}')")
    page = await context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    await page.goto(url)
    return page


async def overflows_sideways(page: Page) -> bool:
    """Whether the page is wider than its viewport: on a phone, a page one must scroll sideways."""
    return await page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
