"""axe-core (from npm, fetched by deploy/local/fetch-axe.sh) injected into a page: the serious and critical
violations it finds, in words a test failure can show."""

from pathlib import Path

from playwright.async_api import Page

AXE = Path(__file__).resolve().parents[2] / ".cache" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


async def violations(page: Page) -> list[str]:
    """The page's serious and critical axe-core violations as "rule: target", none when it passes."""
    assert AXE.exists(), "axe-core is fetched by ./test (deploy/local/fetch-axe.sh)"
    await page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated, not a script tag: the pages' CSP stays on
    found = await page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{violation['id']}: {', '.join(str(node['target']) for node in violation['nodes'])}"
        for violation in found
        if violation["impact"] in BLOCKING
    ]
