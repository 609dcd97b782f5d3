"""In Chromium, each role's demo user of the README opens its page, is sent to Keycloak's real login page, signs
in there, sees its name on the page, has its token renewed, and signs out, after which the page asks it to
sign in again and Keycloak asks for the password again."""

import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from deploy.local.keycloak import LocalKeycloak
from deploy.local.keycloak_demo import PAGES_CLIENT, admin_client
from deploy.local.process import REPO_ROOT
from tests.e2e.browser import SCREENSHOTS, chromium
from tests.e2e.system import SERVICES, RunningSystem
from tests.keycloak_sign_in import DemoUser, demo_users

DEMO_USERS = demo_users()
ROLE_NAMES = {
    "operator": "12345热线",
    "station": "乡镇工作站",
    "county_centre": "县级未保中心",
    "committee": "未保工作协调机制",
    "village": "村（居）儿童主任",
    "admin": "系统管理员",
}
# Each role's page, and a call that page makes for it (which the service must accept the new token for).
PAGES = {
    "operator": ("intake", "/operator/", "/v1/reports?mine=true&limit=1"),
    "committee": ("referral", "/pages/committee.html", "/v1/codes/outcomes"),
    "county_centre": ("referral", "/pages/centre.html", "/v1/codes/outcomes"),
}
WORKBENCH = ("referral", "/pages/workbench.html", "/v1/codes/outcomes")


def person_of(user: DemoUser) -> str:
    """The person's name, as the README's table gives it after the unit: `| ... | unit (王丽) |`."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"^\| `{user.username}` \|.*\((\w+)\) \|$", readme, re.M)
    assert found, f"the README names no person for {user.username}"
    return found.group(1)


def register_pages(keycloak: LocalKeycloak, origins: list[str]) -> None:
    """Lets the pages' client return to these origins, as a deployment registers the addresses it serves on."""
    with admin_client(keycloak) as admin:
        client = admin.get("clients", params={"clientId": PAGES_CLIENT}).raise_for_status().json()[0]
        client["redirectUris"] = sorted({*client["redirectUris"], *(f"{origin}/*" for origin in origins)})
        logout = client["attributes"].get("post.logout.redirect.uris", "")
        client["attributes"]["post.logout.redirect.uris"] = "##".join([logout, *(f"{o}/*" for o in origins)])
        admin.put(f"clients/{client['id']}", json=client).raise_for_status()


@pytest.fixture(scope="module")
async def signed_in_system(system: RunningSystem, keycloak: LocalKeycloak) -> AsyncIterator[RunningSystem]:
    """The e2e system's services trusting Keycloak's tokens (OIDC_ISSUER), their pages signing in through it;
    afterwards they run with the system's own settings again."""
    register_pages(keycloak, [system.urls["intake"], system.urls["referral"]])
    for service in SERVICES:
        system.stop_service(service)
        system.start_service(service, {"OIDC_ISSUER": keycloak.issuer})
    try:
        yield system
    finally:
        for service in SERVICES:
            system.restore(service)


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as running:
        yield running


async def sign_in_on_keycloak(page: Page, keycloak: LocalKeycloak, user: DemoUser) -> None:
    await page.wait_for_url(f"{keycloak.url}/**", timeout=15000)
    await page.fill("#username", user.username)
    await page.fill("#password", user.password)
    await page.click("#kc-login")


# First: the module's services trust Keycloak from the next test on.
async def test_a_page_without_a_provider_or_a_token_says_sign_in_is_not_configured(system, browser):
    page = await browser.new_page(locale="zh-CN")
    try:
        await page.goto(f"{system.urls['referral']}/pages/workbench.html")
        await expect(page.locator("#signin-message")).to_contain_text("未配置统一身份认证")
        assert await page.locator("#token").count() == 0
    finally:
        await page.close()


@pytest.mark.parametrize("user", DEMO_USERS, ids=[user.username for user in DEMO_USERS])
async def test_a_role_signs_in_on_keycloaks_page_and_signs_out(signed_in_system, keycloak, browser, user):
    service, path, call = PAGES.get(user.role, WORKBENCH)
    url = f"{signed_in_system.urls[service]}{path}"
    context = await browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    try:
        await page.goto(url)
        await sign_in_on_keycloak(page, keycloak, user)
        await page.wait_for_url(f"{url}*", timeout=15000)
        await expect(page.locator("#who")).to_have_text(f"{person_of(user)} · {ROLE_NAMES[user.role]}")
        assert "code=" not in page.url, "the code is taken out of the address"
        assert await page.locator("#token").count() == 0, "no page asks for a token"
        await page.screenshot(path=SCREENSHOTS / f"sign-in-{user.role}.png")

        # The service takes the page's token; one about to expire is renewed with the refresh token first.
        status = "(path) => SignIn.bearer().then((t) => fetch(path, {headers: {Authorization: `Bearer ${t}`}}))"
        status += ".then((answer) => answer.status)"
        assert await page.evaluate(status, call) == 200
        before = await page.evaluate("SignIn.token()")
        await page.evaluate(
            "() => { const s = JSON.parse(sessionStorage.getItem('signin.session'));"
            " s.expires_at = Date.now() / 1000 + 5; sessionStorage.setItem('signin.session', JSON.stringify(s)); }"
        )
        assert await page.evaluate(status, call) == 200
        assert await page.evaluate("SignIn.token()") != before

        await page.click("#sign-out")
        await page.wait_for_url(f"{url}*", timeout=15000)
        await expect(page.locator("#signin-message")).to_have_text("已退出登录")
        await expect(page.locator("#sign-in")).to_be_visible()
        await expect(page.locator("#who")).to_have_text("")
        assert await page.evaluate("sessionStorage.getItem('signin.session')") is None

        await page.click("#sign-in")  # Keycloak's session has ended too: it asks for the password again
        await page.wait_for_url(f"{keycloak.url}/**", timeout=15000)
        await expect(page.locator("#password")).to_be_visible()
    finally:
        await context.close()
