"""The desk pages in Chromium at desk width: the committee reads its summary at a glance and opens a county to
its townships by keyboard, with no county counted twice and overdue times in words; the county centre sees its
stations' load, dispatches the referral it holds to a station picked by name, and approves a request for more
time. axe-core finds nothing serious on either; both are photographed."""

import re
from datetime import datetime, timedelta

from playwright.async_api import expect

from shared.domain.access import Role
from tests.auth import bearer, token
from tests.e2e.accessibility import violations
from tests.e2e.browser import SCREENSHOTS, chromium, open_page
from tests.e2e.test_thin_path import follow
from tests.factories import report_body

COUNTY, TOWNSHIP, CHAOYANG = "140725", "140725103", "140725100"  # 寿阳县, 平头镇, 朝阳镇


async def _report(http, system, division_code: str) -> tuple[dict, list[dict]]:
    body = report_body(child={"division_code": division_code, "age": 11}, concerns=["neglect"])
    report_id = (await http.post(f"{system.urls['intake']}/v1/reports", json=body)).json()["report_id"]
    return await follow(http, system, report_id)


async def _declined_to_the_centre(http, system) -> dict:
    """Declined by two stations in turn, the referral goes to the county centre, which decides."""
    referral, _ = await _report(http, system, TOWNSHIP)
    path = f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}/decline"
    for holder, suggested in ((TOWNSHIP, CHAOYANG), (CHAOYANG, TOWNSHIP)):
        body = {"reason": "儿童不在本镇", "suggested_division_code": suggested}
        declined = await http.post(path, json=body, headers=bearer(Role.STATION, holder, f"station-{holder}"))
        assert declined.status_code == 200, declined.text
    assert declined.json()["assignee_code"] == COUNTY
    return declined.json()


async def test_the_committee_reads_the_summary_and_opens_a_county_by_keyboard(system, http):
    await _report(http, system, TOWNSHIP)
    await _declined_to_the_centre(http, system)  # held by the county centre itself
    async with chromium() as browser:
        page = await open_page(
            browser, f"{system.urls['referral']}/pages/committee.html", token(Role.COMMITTEE, "1407", "committee-jz")
        )
        await expect(page.locator("#message")).to_contain_text("已更新")
        await expect(page.locator("#sum-open")).to_have_text(re.compile(r"^[1-9][0-9]* 件$"))
        await expect(page.locator("#sum-on-time")).to_contain_text("前30天")
        await expect(page.locator("#sum-p1")).to_have_text(re.compile(r"^[0-9]+ 件$"))
        await expect(page.locator("#sum-stuck")).to_have_text(re.compile(r"^(无|[0-9]+ 件)$"))

        places = page.locator("table.places")
        assert "合计" not in await places.inner_text()  # a county's row is its name, its centre's row says so
        county = places.locator("button.drill", has_text="寿阳县")
        await expect(county).to_have_attribute("aria-expanded", "false")
        await expect(places.locator("tr.level-township", has_text="平头镇")).to_be_hidden()
        await county.focus()
        await page.keyboard.press("Enter")
        await expect(county).to_have_attribute("aria-expanded", "true")
        await expect(places.locator("tr.level-township", has_text="平头镇")).to_be_visible()
        await expect(places.locator(f"#places-{COUNTY} tr.level-centre")).to_have_text(
            re.compile("县未保中心（直接承办）")
        )
        for text in await places.locator("tr td:nth-child(5)").all_inner_texts():
            assert text == "无" or re.fullmatch(r"[0-9]+个环节，最长[0-9]+(天|小时|分钟).*", text), text

        chart = page.locator("#trend svg")
        assert (await chart.bounding_box())["width"] > 1000
        await expect(chart).to_contain_text("日期（北京时间）")
        await expect(chart).to_contain_text("件数")

        async with page.expect_download() as download:
            await page.click("#export-xlsx")
        assert (await download.value).suggested_filename.endswith(".xlsx")

        assert await violations(page) == []
        await page.screenshot(path=SCREENSHOTS / "committee-desk.png", full_page=True)
        await county.focus()
        await page.keyboard.press("Enter")
        await expect(places.locator("tr.level-township", has_text="平头镇")).to_be_hidden()


async def test_the_centre_dispatches_a_referral_and_approves_more_time(system, http):
    held = await _declined_to_the_centre(http, system)
    at_station, deadlines = await _report(http, system, TOWNSHIP)
    station = bearer(Role.STATION, TOWNSHIP, "station-pingtou")
    due = datetime.fromisoformat(deadlines[0]["due_at"])
    asked = await http.post(
        f"{system.urls['notification']}/v1/deadlines/{deadlines[0]['deadline_id']}/extensions",
        json={"reason": "道路中断，暂无法入村", "requested_until": (due + timedelta(days=2)).isoformat()},
        headers=station,
    )
    assert asked.status_code == 201, asked.text
    async with chromium() as browser:
        page = await open_page(
            browser, f"{system.urls['referral']}/pages/centre.html", token(Role.COUNTY_CENTRE, COUNTY, "centre-sy")
        )
        await expect(page.locator("#message")).to_contain_text("已更新")
        await expect(page.locator("#title")).to_contain_text("寿阳县未成年人救助保护中心")
        load = page.locator("#load tr", has_text="平头镇")
        await expect(load.locator("td").nth(1)).not_to_have_text("0")  # unacknowledged
        assert await violations(page) == []
        await page.screenshot(path=SCREENSHOTS / "centre-desk.png", full_page=True)

        row = page.locator(f"#dispatch tr[data-referral='{held['referral_id']}']")
        await expect(row).to_contain_text(held["case_number"])
        await row.locator("button", has_text="改派").focus()
        await page.keyboard.press("Enter")
        picker = page.locator("select[name=division_code]")
        await expect(picker).to_be_focused()
        await picker.select_option(label=await picker.locator("option", has_text="平头镇").text_content())
        await page.fill("input[name=reason]", "经核实，儿童现居平头镇")
        await page.keyboard.press("Enter")
        await expect(page.locator("#message")).to_contain_text("已改派至")
        await expect(row).to_have_count(0)

        extension = page.locator("#extensions tr", has_text=at_station["case_number"])
        await extension.locator("label", has_text=re.compile("^批准$")).click()
        await extension.locator("button[type=submit]").click()
        await expect(page.locator("#message")).to_contain_text("延期申请已批准")
        await expect(extension).to_have_count(0)
        assert await violations(page) == []

    moved = await http.get(f"{system.urls['referral']}/v1/referrals/{held['referral_id']}")
    assert moved.json()["assignee_code"] == TOWNSHIP
