"""The station's workbench on a phone (390×844, in another time zone) in Chromium: every page and every form
fits the screen and passes axe-core, a case opens from its card by keyboard, the forms record in Chinese and
Beijing time; a home visit recorded offline is kept on the phone (which opens offline too) and lands exactly
once when the network returns; signing out warns of actions not yet sent, then clears what the phone kept.
Each page is photographed."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.async_api import Page, expect

from shared.domain.access import Role
from tests.auth import bearer, token
from tests.e2e.accessibility import violations
from tests.e2e.browser import PHONE, SCREENSHOTS, chromium, open_page, overflows_sideways
from tests.e2e.test_thin_path import follow
from tests.factories import report_body

STATION = "140724101"  # a station of 昔阳县 that the other browser tests leave alone
WORKER = token(Role.STATION, STATION, "station-phone", name="赵志强")
FORMS = ("contact", "visit", "assessment", "police", "feedback", "extension", "decline", "close")


async def _case(http, system, name: str) -> dict:
    body = report_body(child={"division_code": STATION, "age": 9, "name": name}, concerns=["neglect", "hardship"])
    report_id = (await http.post(f"{system.urls['intake']}/v1/reports", json=body)).json()["report_id"]
    referral, _ = await follow(http, system, report_id)
    assert referral["assignee_code"] == STATION
    return referral


async def _fits(page: Page, name: str) -> None:
    assert not await overflows_sideways(page), name
    assert await violations(page) == [], name
    await page.screenshot(path=SCREENSHOTS / f"station-phone-{name}.png", full_page=True)


async def _history(http, system, referral: dict) -> list[str]:
    found = await http.get(f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}")
    return [entry["action"] for entry in found.json()["history"]]


async def test_every_station_page_fits_a_phone_and_a_case_opens_by_keyboard(system, http):
    referral = await _case(http, system, "孙小萌")
    number = referral["case_number"]
    async with chromium() as browser:
        page = await open_page(
            browser,
            f"{system.urls['referral']}/pages/workbench.html",
            WORKER,
            phone=True,
            timezone_id="America/New_York",
        )
        dialogs = []
        page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        card = page.locator(f"a.card[data-referral='{referral['referral_id']}']")
        await expect(card).to_contain_text(number)
        await expect(card).to_contain_text("孙*萌")
        await expect(card).to_contain_text("忽视")
        await expect(card).to_contain_text("待签收")
        await expect(card.locator(".countdown")).to_have_text(re.compile(r"剩余 .*小时"))
        await expect(page.locator("#who")).to_contain_text("乡镇工作站")
        await expect(card.locator(".badge")).to_have_text(referral["priority"])
        await _fits(page, "list")

        await card.focus()
        await page.keyboard.press("Enter")
        await expect(page.locator("#case-title")).to_contain_text(number)
        await expect(page.locator("#timeline")).to_contain_text("转派至工作站")
        assert referral["referral_id"] not in await page.locator("body").inner_text()
        await _fits(page, "case")

        await page.locator(".case-actions a", has_text="签收").click()
        await expect(page.locator("#form-acknowledge")).to_be_visible()
        await _fits(page, "form-acknowledge")
        await page.locator("#form-acknowledge button[type=submit]").click()
        await expect(page.locator("#case-records")).to_contain_text("签收（记录于")
        await expect(page.locator("#case-records")).to_contain_text("已提交")
        await expect(page.locator(".facts")).to_contain_text("办理中")

        for kind in FORMS:
            await page.evaluate("(hash) => { location.hash = hash; }", f"#case/{number}/{kind}")
            await expect(page.locator(f"#form-{kind}")).to_be_visible()
            await _fits(page, f"form-{kind}")
        beijing = datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None, second=0, microsecond=0)
        await page.evaluate("(hash) => { location.hash = hash; }", f"#case/{number}/assessment")
        offered = datetime.fromisoformat(await page.locator("#f-at").input_value())
        assert abs((offered - beijing).total_seconds()) <= 120, "the time is offered in Beijing time"
        await page.locator("label.choice", has_text="较差").click()
        await page.fill("#f-notes", "祖母年迈，照看不周")
        await page.keyboard.press("Tab")  # to 保存
        await page.keyboard.press("Enter")
        await expect(page.locator("#case-records")).to_contain_text("监护评估（记录于")
        await expect(page.locator("#case-records li").last).to_contain_text("已提交")
        await expect(page.locator("#timeline")).to_contain_text("监护评估：较差")
        assert dialogs == [], "no prompt, alert or confirm"
    assert (await _history(http, system, referral)).count("assessment_recorded") == 1


async def test_a_visit_recorded_offline_lands_once_when_the_network_returns(system, http):
    referral = await _case(http, system, "钱小乐")
    path = f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}/acknowledge"
    assert (await http.post(path, json={}, headers=bearer(Role.STATION, STATION, "station-phone"))).status_code == 200
    async with chromium() as browser:
        page = await open_page(browser, f"{system.urls['referral']}/pages/workbench.html", WORKER, phone=True)
        card = page.locator(f"a.card[data-referral='{referral['referral_id']}']")
        await expect(card).to_contain_text("办理中")
        assert await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        await card.click()
        await page.locator(".case-actions a", has_text="记录入户走访").click()

        await page.context.set_offline(True)
        await page.fill("#f-notes", "入户走访，孩子由祖母照看")
        await page.locator("#form-visit button[type=submit]").click()
        await expect(page.locator("#case-records")).to_contain_text("待提交")

        await page.reload()  # the app opens offline, from what the phone kept
        await page.locator("a.back").click()
        await expect(page.locator("#network")).to_contain_text("离线")
        await expect(card.locator(".sync")).to_contain_text("记录入户走访：待提交")
        await _fits(page, "offline")
        assert (await _history(http, system, referral)).count("home_visit_recorded") == 0

        await page.context.set_offline(False)
        await expect(card.locator(".sync")).to_contain_text("记录入户走访：已提交")
        await expect(page.locator("#network")).to_have_text("")
    assert (await _history(http, system, referral)).count("home_visit_recorded") == 1


async def test_an_action_queued_for_a_case_moved_meanwhile_shows_why_it_was_refused(system, http):
    referral = await _case(http, system, "周小安")
    base = f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}"
    assert (await http.post(f"{base}/acknowledge", json={}, headers=bearer(Role.STATION, STATION))).status_code == 200
    async with chromium() as browser:
        page = await open_page(browser, f"{system.urls['referral']}/pages/workbench.html", WORKER, phone=True)
        await page.locator(f"a.card[data-referral='{referral['referral_id']}']").click()
        await page.locator(".case-actions a", has_text="记录联系").click()
        await page.context.set_offline(True)
        await page.locator("#f-method").select_option(label="当面")
        await page.locator("#form-contact button[type=submit]").click()
        await expect(page.locator("#case-records")).to_contain_text("待提交")

        moved = await http.post(
            f"{base}/reassign",
            json={"division_code": "140724100", "reason": "属地核实"},
            headers=bearer(Role.COUNTY_CENTRE, "140724", "centre-xiyang"),
        )
        assert moved.status_code == 200, moved.text
        await page.context.set_offline(False)
        await expect(page.locator("#case-records")).to_contain_text("未被接受：该转介已改派给其他单位")
        await page.locator("a.back").click()
        record = page.locator("#records li", has_text=referral["case_number"])
        await expect(record).to_contain_text("记录联系：未被接受：该转介已改派给其他单位")
        await _fits(page, "refused")
        await record.locator("button", has_text="知道了").click()
        await expect(page.locator("#records-section")).to_be_hidden()
    assert "contact_recorded" not in await _history(http, system, referral)


async def test_signing_out_clears_what_the_phone_kept(system, http):
    referral = await _case(http, system, "李小禾")
    async with chromium() as browser:
        context = await browser.new_context(locale="zh-CN", **PHONE)
        page = await context.new_page()
        await page.goto(f"{system.urls['referral']}/pages/workbench.html")
        await page.evaluate("(t) => sessionStorage.setItem('token', t)", WORKER)
        await page.reload()
        await expect(page.locator(f"a.card[data-referral='{referral['referral_id']}']")).to_be_visible()
        databases = "indexedDB.databases().then((all) => all.map((db) => db.name))"
        assert "station-workbench" in await page.evaluate(databases)

        await page.route("**/acknowledge", lambda route: route.abort())  # the action stays queued on the phone
        await page.locator(f"a.card[data-referral='{referral['referral_id']}']").click()
        await expect(page.locator(".case-actions a", has_text="打印转介单")).to_have_attribute(
            "href", f"form.html?referral={referral['referral_id']}"
        )
        await page.locator(".case-actions a", has_text="签收").click()
        await page.locator("#form-acknowledge button[type=submit]").click()
        await expect(page.locator("#case-records")).to_contain_text("待提交")
        await page.click("#sign-out")  # the first press warns, in the page
        await expect(page.locator("#signin-message")).to_have_text("还有1条记录未提交，再次点击“退出登录”将删除")
        assert "station-workbench" in await page.evaluate(databases)

        await page.click("#sign-out")
        await expect(page.locator("#signin-message")).to_contain_text("未配置统一身份认证")
        assert "station-workbench" not in await page.evaluate(databases)
        assert await page.evaluate("caches.keys()") == []
        assert await page.locator("a.card").count() == 0
