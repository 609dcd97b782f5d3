"""The operator's page in a real headless Chromium (Debian's), against the running services."""

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Page, expect

from tests.auth import token
from tests.e2e.browser import SCREENSHOTS, chromium, open_page

# A child of its own (born 2015-03-15): one another test reported would make this report a repeat (已并案).
CHILD_ID = "140724201503150133"


@pytest.fixture
async def page(system) -> AsyncIterator[Page]:
    async with chromium() as browser:
        yield await open_page(browser, f"{system.urls['intake']}/operator/", token(subject="operator-page-test"))


async def pick(page: Page, select_id: str, label: str) -> None:
    await expect(page.locator(f"#{select_id} option", has_text=label)).to_have_count(1)
    await page.select_option(f"#{select_id}", label=label)


async def test_an_operator_files_a_report_and_sees_where_it_went(page):
    await pick(page, "province", "山西省")
    await pick(page, "city", "晋中市")
    await pick(page, "county", "昔阳县")
    await pick(page, "township", "大寨镇")
    await expect(page.locator("#preview")).to_have_text(
        "地址识别为：山西省 / 晋中市 / 昔阳县 / 大寨镇（按区划代码）。将转派至：晋中市昔阳县大寨镇未成年人保护工作站"
    )

    await page.fill("[name='child.name']", "王小花")
    await page.fill("[name='child.id_number']", CHILD_ID[:-1] + "1")  # wrong check digit
    await page.check("input[name=concern][value=neglect]")
    await page.fill("[name=narrative]", "孩子父母外出务工，长期独自在家，无人照看。")
    await page.click("button[type=submit]")
    await expect(page.locator(".error[data-field='child.id_number']")).to_contain_text("身份证号码不正确")
    await page.screenshot(path=SCREENSHOTS / "operator-form-errors.png", full_page=True)

    await page.fill("[name='child.id_number']", CHILD_ID)
    await page.click("button[type=submit]")
    await expect(page.locator("#form-message")).to_contain_text("报告已登记")
    report_id = await page.locator("#form-message").get_attribute("data-report-id")

    row = page.locator(f"tr[data-report-id='{report_id}']")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("140724********0133")
    for _ in range(60):
        if "已转派" in (await row.text_content()) and "签收" in (await row.text_content()):
            break
        await page.click("#refresh")
        await page.wait_for_timeout(500)
    await expect(row).to_contain_text("晋中市昔阳县大寨镇未成年人保护工作站")
    await expect(row).to_contain_text("已转派")
    await expect(row).to_contain_text("签收")
    await page.screenshot(path=SCREENSHOTS / "operator-recent-reports.png", full_page=True)


async def test_a_township_without_a_station_is_previewed_as_unrouted(page):
    await pick(page, "province", "北京市")
    await pick(page, "city", "市辖区")
    await pick(page, "county", "东城区")
    await pick(page, "township", "东华门街道")
    await expect(page.locator("#preview")).to_have_text(
        "地址识别为：北京市 / 东城区 / 东华门街道（按区划代码）。无法确定工作站，报告将进入人工分派队列"
    )


async def test_a_typed_address_is_resolved_and_an_ambiguous_one_shows_its_candidates(page):
    await page.fill("[name='child.address']", "山西省昔阳县洪水村")
    await expect(page.locator("#preview")).to_contain_text("将转派至：晋中市昔阳县大寨镇未成年人保护工作站")
    await page.fill("[name='child.address']", "晋中市北关街道")
    await expect(page.locator("#preview")).to_contain_text("地址有多个可能")
    await expect(page.locator("#preview")).to_contain_text("山西省 / 晋中市 / 介休市 / 北关街道")
    await page.screenshot(path=SCREENSHOTS / "operator-address-candidates.png", full_page=True)


async def test_the_operator_picks_a_candidate_and_its_code_goes_with_the_report(page):
    await page.fill("[name='child.address']", "晋中市北关街道")
    await expect(page.locator("#preview")).to_contain_text("地址有多个可能")
    await page.click("#preview button.candidate:has-text('介休市 / 北关街道')")
    await expect(page.locator("#division-code")).to_have_value("140781001")
    await expect(page.locator("#preview")).to_have_text(
        "地址识别为：山西省 / 晋中市 / 介休市 / 北关街道（按区划代码）。"
        "将转派至：晋中市介休市北关街道未成年人保护工作站"
    )
    await page.check("input[name=concern][value=neglect]")
    await page.fill("[name=narrative]", "孩子长期独自在家，无人照看。")
    await page.click("button[type=submit]")
    await expect(page.locator("#form-message")).to_contain_text("报告已登记")
    report_id = await page.locator("#form-message").get_attribute("data-report-id")
    row = page.locator(f"tr[data-report-id='{report_id}']")
    await expect(row).to_have_count(1)
    for _ in range(60):
        if "晋中市介休市北关街道未成年人保护工作站" in (await row.text_content() or ""):
            break
        await page.click("#refresh")
        await page.wait_for_timeout(500)
    await expect(row).to_contain_text("晋中市介休市北关街道未成年人保护工作站")
