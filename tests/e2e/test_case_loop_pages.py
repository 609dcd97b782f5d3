"""The whole loop in the browser: an operator files a report on the operator page, the station sees it on
its workbench and acknowledges it, and the committee's dashboard counts it; another station cannot open it.
Every page is photographed into test-artifacts/screenshots."""

import re

from playwright.async_api import Page, expect

from shared.domain.access import Role
from tests.auth import token
from tests.e2e.browser import SCREENSHOTS, chromium, open_page
from tests.e2e.test_operator_page import pick
from tests.e2e.test_thin_path import follow
from tests.factories import report_body

STATION, OTHER_STATION = "140724104", "140725103"


async def dazhai_figures(page: Page) -> tuple[int, int]:
    """大寨镇's open referrals and those received in the period, as the dashboard shows them."""
    await page.click("#refresh")
    await expect(page.locator("#message")).to_contain_text("已更新")
    row = page.locator("table.places tr.level-township", has_text="大寨镇")
    if not await row.count():
        return 0, 0
    cells = await row.locator("td").all_text_contents()  # 在办, 在办P1, 待分派, 当前超时, 期间新增, ...
    return int(cells[0]), int(cells[4])


async def test_a_report_goes_from_the_operator_to_the_station_and_into_the_committees_figures(system, http):
    committee_token = token(Role.COMMITTEE, "1407", "committee-jinzhong")
    async with chromium() as browser:
        committee = await open_page(browser, f"{system.urls['referral']}/pages/committee.html", committee_token)
        open_before, received_before = await dazhai_figures(committee)

        operator = await open_page(browser, f"{system.urls['intake']}/operator/", token(subject="operator-loop"))
        for select, label in (("province", "山西省"), ("city", "晋中市"), ("county", "昔阳县"), ("township", "大寨镇")):
            await pick(operator, select, label)
        await operator.fill("[name='child.name']", "郑小禾")
        await operator.fill("[name='child.age']", "10")
        await operator.check("input[name=concern][value=lack_of_guardianship]")
        await operator.fill("[name=narrative]", "孩子父亲服刑，母亲离家，独自生活。")
        await operator.click("button[type=submit]")
        await expect(operator.locator("#form-message")).to_contain_text("报告已登记")
        report_id = await operator.locator("#form-message").get_attribute("data-report-id")
        referral, _ = await follow(http, system, report_id)
        await operator.screenshot(path=SCREENSHOTS / "loop-1-operator.png", full_page=True)

        station_token = token(Role.STATION, STATION, "station-dazhai")
        station = await open_page(browser, f"{system.urls['referral']}/pages/workbench.html", station_token)
        card = station.locator(f"a.card[data-referral='{referral['referral_id']}']")
        await expect(card).to_contain_text("待签收")
        await expect(card.locator(".countdown")).to_have_text(re.compile(r"剩余 .*小时"))
        await station.screenshot(path=SCREENSHOTS / "loop-2-station-inbox.png", full_page=True)
        await card.click()
        await station.locator(".case-actions a", has_text="签收").click()
        await station.locator("#form-acknowledge button[type=submit]").click()
        await expect(station.locator("#case-records")).to_contain_text("已提交")
        await expect(station.locator(".facts")).to_contain_text("办理中")
        await expect(station.locator("#timeline")).to_contain_text("签收")
        await expect(station.locator("#case-view")).to_contain_text("郑小禾")  # the station needs to find the child
        await expect(station.locator("#case-view")).to_contain_text("报告人身份保密")
        await station.screenshot(path=SCREENSHOTS / "loop-3-station-acknowledged.png", full_page=True)

        open_after, received_after = await dazhai_figures(committee)
        assert (open_after, received_after) == (open_before + 1, received_before + 1)
        await expect(committee.locator("#trend svg polyline")).to_have_count(1)  # acknowledged; received as bars
        await committee.screenshot(path=SCREENSHOTS / "loop-4-committee-dashboard.png", full_page=True)

        other_token = token(Role.STATION, OTHER_STATION, "station-pingtou")
        other = await open_page(browser, f"{system.urls['referral']}/pages/workbench.html", other_token)
        await expect(other.locator("#cards")).not_to_contain_text(referral["case_number"])
        status = await other.evaluate(
            "async (id) => (await fetch(`/v1/referrals/${id}`, "
            "{headers: {Authorization: `Bearer ${sessionStorage.getItem('token')}`}})).status",
            referral["referral_id"],
        )
        assert status == 404


async def test_the_county_centre_and_the_hotline_supervisors_dispatch_from_their_workbench(system, http):
    unrouted = report_body(child={"address": "山西省晋中市北关街道"})  # two 北关街道 in 晋中市
    report_id = (await http.post(f"{system.urls['intake']}/v1/reports", json=unrouted)).json()["report_id"]
    referral, _ = await follow(http, system, report_id)
    assert referral["status"] == "unrouted"
    async with chromium() as browser:
        supervisor = await open_page(
            browser, f"{system.urls['referral']}/pages/workbench.html", token(subject="supervisor-1")
        )
        row = supervisor.locator(f"tr[data-referral='{referral['referral_id']}']")
        await row.locator("button", has_text="分派").click()
        picker = row.locator("#township-picker")
        await expect(picker.locator("option", has_text="（推荐）")).to_have_count(2)
        await expect(row.locator(".evidence")).to_have_text(
            "地址识别：有多个可能；依据：山西省（地名）、晋中市（地名）、北关街道（地名）"
        )
        await supervisor.screenshot(path=SCREENSHOTS / "workbench-supervisor-queue.png", full_page=True)
        candidate = await picker.locator("option", has_text="（推荐）").first.get_attribute("value")
        await picker.select_option(candidate)
        await row.locator("#pick-ok").click()
        await expect(supervisor.locator("#message")).to_have_text("已保存")
        await expect(supervisor.locator(f"tr[data-referral='{referral['referral_id']}']")).to_have_count(0)

        centre = await open_page(
            browser, f"{system.urls['referral']}/pages/workbench.html", token(Role.COUNTY_CENTRE, "140724", "centre-1")
        )
        await centre.wait_for_url(re.compile(r"/pages/centre\.html"))  # the workbench sends a centre to its desk
        await expect(centre.locator("#load tr", has_text="大寨镇")).to_have_count(1)
        await centre.screenshot(path=SCREENSHOTS / "workbench-county-centre.png", full_page=True)
    moved = (await http.get(f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}")).json()
    assert (moved["status"], moved["assignee_code"]) == ("assigned", candidate)
