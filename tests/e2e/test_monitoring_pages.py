"""The pages of what follows the assessment, in Chromium: the station works a child under monitoring from its
phone (hands a follow-up visit to the village, names the pairing helper, ends monitoring when the child moves
away); the village's child director reads its tasks at phone size and records a follow-up visit, offline too;
the county centre records a temporary guardianship and its end; the committee reads the monitoring figures.
Every page passes axe-core and is photographed."""

import re

from playwright.async_api import Page, expect

from shared.domain.access import Role
from tests.auth import bearer, token
from tests.e2e.accessibility import violations
from tests.e2e.browser import SCREENSHOTS, chromium, open_page, overflows_sideways
from tests.e2e.test_thin_path import follow
from tests.factories import report_body
from tests.waiting import eventually

STATION, CENTRE, MOVED_TO = "140724104", "140724", "140724103"  # 大寨镇, 昔阳县, 沾尚镇
VILLAGE = "140724104200"  # 大寨村, whose child director is in the demo directory
STATION_PHONE = token(Role.STATION, STATION, "station-monitoring-pages", name="李督导")
DIRECTOR_PHONE = token(Role.VILLAGE, VILLAGE, "village-dazhai", name="贾玉兰")
CENTRE_DESK = token(Role.COUNTY_CENTRE, CENTRE, "centre-monitoring-pages", name="周主任")
STATION_CALLS = bearer(Role.STATION, STATION, "station-monitoring-pages")


async def _monitored(http, system, level: str, name: str) -> dict:
    """A child of 大寨村 whose guardianship the station assessed at `level`: under monitoring."""
    body = report_body(child={"division_code": VILLAGE, "age": 10, "name": name}, concerns=["neglect"])
    report_id = (await http.post(f"{system.urls['intake']}/v1/reports", json=body)).json()["report_id"]
    referral, _ = await follow(http, system, report_id)
    base = f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}"
    for path, action in (("acknowledge", {}), ("assessments", {"level": level})):
        answer = await http.post(f"{base}/{path}", json=action, headers=STATION_CALLS)
        assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "monitoring"
    return answer.json()


async def _fits(page: Page, name: str) -> None:
    assert not await overflows_sideways(page), name
    assert await violations(page) == [], name
    await page.screenshot(path=SCREENSHOTS / f"monitoring-{name}.png", full_page=True)


async def _history(http, system, referral: dict) -> list[dict]:
    found = await http.get(f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}")
    return found.json()["history"]


async def _go(page: Page, number: str, kind: str) -> None:
    await page.evaluate("(hash) => { location.hash = hash; }", f"#case/{number}/{kind}")
    await expect(page.locator(f"#form-{kind}")).to_be_visible()


async def test_the_station_works_a_child_under_monitoring_from_its_phone(system, http):
    referral = await _monitored(http, system, "poor", "吴小溪")
    number = referral["case_number"]

    async def helper_clock():
        answer = await http.get(
            f"{system.urls['notification']}/v1/deadlines", params={"referral_id": referral["referral_id"]}
        )
        return any(row["stage"] == "helper" for row in answer.json())

    await eventually(helper_clock, 30, "the helper's clock")
    async with chromium() as browser:
        page = await open_page(browser, f"{system.urls['referral']}/pages/workbench.html", STATION_PHONE, phone=True)
        card = page.locator(f"a.card[data-referral='{referral['referral_id']}']")
        await expect(card).to_contain_text("监护监测中（较差）")
        await card.click()
        await expect(page.locator(".facts")).to_contain_text("确定结对帮扶人")
        await _fits(page, "station-case")

        for kind in ("task", "helper", "follow_up", "monitoring_end"):
            await _go(page, number, kind)
            await _fits(page, f"station-{kind}")

        await _go(page, number, "helper")
        await page.fill("#f-name", "张丽华")
        await page.fill("#f-phone", "13800138000")
        await page.locator("#form-helper button[type=submit]").click()
        await expect(page.locator("#case-records li").last).to_contain_text("已提交")
        await expect(page.locator("#timeline")).to_contain_text("确定结对帮扶人")

        await _go(page, number, "task")
        await page.locator("#f-kind").select_option(label="随访")
        await page.locator("#form-task button[type=submit]").click()
        await expect(page.locator("#case-records li").last).to_contain_text("已提交")
        await expect(page.locator("#timeline")).to_contain_text("交办村（居）儿童主任：随访")

        await _go(page, number, "monitoring_end")
        await page.locator("label.choice", has_text="迁出").click()
        await page.locator("#f-division_code").select_option(label="沾尚镇")
        await page.fill("#f-notes", "随父母迁居沾尚镇")
        await page.locator("#form-monitoring_end button[type=submit]").click()
        await expect(page.locator("#case-records li", has_text="结束监护监测")).to_contain_text("已提交")
    actions = [entry["action"] for entry in await _history(http, system, referral)]
    assert {"helper_named", "task_handed", "monitoring_ended"} <= set(actions)
    moved = await http.get(f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}")
    assert moved.json()["assignee_code"] == MOVED_TO


async def test_the_village_director_records_a_follow_up_visit_on_the_phone(system, http):
    referral = await _monitored(http, system, "fair", "郑小芃")
    number = referral["case_number"]
    handed = await http.post(
        f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}/tasks",
        json={"kind": "follow_up_visit"},
        headers=STATION_CALLS,
    )
    assert handed.status_code == 200, handed.text
    async with chromium() as browser:
        page = await open_page(browser, f"{system.urls['referral']}/pages/workbench.html", DIRECTOR_PHONE, phone=True)
        await expect(page.locator("#title")).to_contain_text("村（居）儿童主任")
        card = page.locator(f"a.card[data-referral='{referral['referral_id']}']")
        await expect(card).to_contain_text(number)
        await expect(card).to_contain_text("郑*芃")
        await expect(card).to_contain_text("交办：随访")
        assert await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        await _fits(page, "village-list")

        await card.focus()
        await page.keyboard.press("Enter")
        await expect(page.locator("#case-title")).to_contain_text(number)
        await expect(page.locator(".case-actions a")).to_have_text(["记录随访"])  # only what its task allows
        await expect(page.locator("#timeline")).to_contain_text("交办村（居）儿童主任：随访")
        assert referral["referral_id"] not in await page.locator("body").inner_text()
        await _fits(page, "village-case")

        await page.locator(".case-actions a", has_text="记录随访").click()
        await expect(page.locator("#form-follow_up")).to_be_visible()
        await _fits(page, "village-follow-up")
        await page.context.set_offline(True)
        await page.fill("#f-notes", "孩子在家，祖父母照看，作业已完成")
        await page.locator("#form-follow_up button[type=submit]").click()
        await expect(page.locator("#case-records")).to_contain_text("待提交")
        await page.context.set_offline(False)
        await expect(page.locator("#case-records")).to_contain_text("已提交")
    visits = [
        entry for entry in await _history(http, system, referral) if entry["action"] == "follow_up_visit_recorded"
    ]
    assert len(visits) == 1
    assert visits[0]["detail"].get("by") == "贾玉兰"


async def test_the_centre_records_a_temporary_guardianship_and_its_end(system, http):
    referral = await _monitored(http, system, "dangerous", "冯小雨")
    async with chromium() as browser:
        page = await open_page(browser, f"{system.urls['referral']}/pages/centre.html", CENTRE_DESK)
        row = page.locator(f"#monitored tr[data-referral='{referral['referral_id']}']")
        await expect(row).to_contain_text("危险")
        await expect(row).to_contain_text("监护监测中")
        await row.locator("button", has_text="无需临时监护").click()
        await expect(page.locator("#guardianship-not_needed")).to_be_visible()
        assert await violations(page) == []

        await row.locator("button", has_text="开始临时监护").click()
        form = page.locator("#guardianship-start")
        await expect(form.locator("[name=placement]")).to_be_focused()
        await form.locator("[name=placement]").fill("昔阳县儿童福利院")
        await form.locator("[name=reason]").fill("父母均在外地服刑，无人照料")
        await form.locator("button[type=submit]").click()
        await expect(page.locator("#message")).to_contain_text("已记录开始临时监护")
        await expect(row).to_contain_text("临时监护中：昔阳县儿童福利院")
        assert await violations(page) == []
        await page.screenshot(path=SCREENSHOTS / "monitoring-centre-guardianship.png", full_page=True)

        await row.locator("button", has_text="结束临时监护").click()
        await page.locator("#guardianship-end [name=reason]").fill("母亲刑满释放，可履行监护")
        await page.locator("#guardianship-end button[type=submit]").click()
        await expect(page.locator("#message")).to_contain_text("已记录结束临时监护")
        await expect(row).to_have_count(0)  # out of guardianship and no longer under monitoring
    actions = [entry["action"] for entry in await _history(http, system, referral)]
    assert actions.count("guardianship_started") == 1
    assert actions.count("guardianship_ended") == 1


async def test_the_committee_reads_the_monitoring_figures(system, http):
    await _monitored(http, system, "poor", "陈小芸")
    async with chromium() as browser:
        page = await open_page(
            browser, f"{system.urls['referral']}/pages/committee.html", token(Role.COMMITTEE, "1407", "committee-jz")
        )
        await expect(page.locator("#message")).to_contain_text("已更新")
        await expect(page.locator("#sum-monitoring")).to_have_text(re.compile(r"^[1-9][0-9]* 人$"))
        await expect(page.locator("#sum-monitoring-levels")).to_contain_text("较差")
        await expect(page.locator("#sum-helper-on-time")).not_to_have_text("—")
        await expect(page.locator("#monitoring-places tr", has_text="昔阳县大寨镇")).to_be_visible()
        assert await violations(page) == []
        await page.screenshot(path=SCREENSHOTS / "monitoring-committee.png", full_page=True)
