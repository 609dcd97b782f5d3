"""The operator's form with every field of a report, in Beijing time on a device set to New York, its errors
beside their fields; the receipt page; and the printable referral form (转介单). Every page passes axe-core."""

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Page, expect

from shared.domain.access import Role
from tests.auth import token
from tests.e2e.accessibility import violations
from tests.e2e.browser import SCREENSHOTS, chromium, open_page
from tests.e2e.test_operator_page import pick
from tests.e2e.test_thin_path import follow
from tests.factories import report_body

BEIJING = ZoneInfo("Asia/Shanghai")
CHILD_ID = "140724201503150045"  # born 2015-03-15; a child of this file's own, so no other test's report links to it
NEW_YORK = "America/New_York"
MANDATORY = "强制报告（报告人为负有强制报告义务的单位工作人员）"
EVERY_CHILD_FIELD = dict.fromkeys(
    ("name", "gender", "age", "birth_date", "id_number", "address", "division_code", "hukou_address")
    + ("hukou_division_code", "status")
)


def beijing_call_time() -> datetime:
    """Two hours ago, to the minute, as a clock in Beijing shows it."""
    return (datetime.now(BEIJING) - timedelta(hours=2)).replace(second=0, microsecond=0)


def shown(moment: datetime) -> str:
    """How the operator page writes a time: 2026/12/03 10:15."""
    return moment.astimezone(BEIJING).strftime("%Y/%m/%d %H:%M")


@pytest.fixture
async def page(system) -> AsyncIterator[Page]:
    async with chromium() as browser:
        url = f"{system.urls['intake']}/operator/"
        yield await open_page(browser, url, token(subject="report-form-test"), timezone_id=NEW_YORK)


async def fill_every_field(page: Page, call_time: datetime) -> None:
    await page.fill("[name=received_at]", call_time.strftime("%Y-%m-%dT%H:%M"))
    await page.fill("[name=hotline_ticket_id]", "GD-20261203-0042")
    await page.select_option("[name=channel]", label="网站")
    for select, label in (("province", "山西省"), ("city", "晋中市"), ("county", "昔阳县"), ("township", "大寨镇")):
        await pick(page, select, label)
    await page.fill("[name='child.address']", "大寨村东街3号")
    await page.fill("[name='child.hukou_address']", "山西省晋中市和顺县")
    await page.fill("[name='child.hukou_division_code']", "140725103")
    await page.fill("[name='child.name']", "赵小满")
    await page.select_option("[name='child.gender']", label="女")
    await page.fill("[name='child.age']", str(age_now()))
    await page.fill("[name='child.birth_date']", "2015-03-15")
    await page.fill("[name='child.id_number']", CHILD_ID)
    for label in ("农村留守儿童", "困境儿童"):
        await page.get_by_label(label).check()
    for label in ("忽视", "监护缺失"):
        await page.get_by_label(label, exact=True).check()
    await page.get_by_label("儿童正处于紧急危险中").check()
    await page.fill("[name=narrative]", "孩子父母外出务工，冬天独自在家，屋内无取暖。")
    await page.fill("[name='reporter.name']", "钱老师")
    await page.fill("[name='reporter.phone']", "13912345678")
    await page.fill("[name='reporter.relation']", "班主任")
    await page.get_by_label("同意向承办工作站提供报告人身份").check()
    await expect(page.locator("#institution")).to_be_hidden()  # only for a mandatory reporter
    await page.get_by_label(MANDATORY).check()
    await page.select_option("[name='reporter.institution_type']", label="学校")
    await page.fill("[name='reporter.institution_name']", "大寨镇中心小学")


def age_now() -> int:
    today = datetime.now(BEIJING).date()
    return today.year - 2015 - ((today.month, today.day) < (3, 15))


async def test_every_field_is_stored_and_times_are_beijing_time_on_a_device_in_new_york(page, system, http):
    assert await page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == NEW_YORK
    call_time = beijing_call_time()
    await fill_every_field(page, call_time)
    assert await violations(page) == []
    await page.screenshot(path=SCREENSHOTS / "operator-every-field.png", full_page=True)
    await page.click("button[type=submit]")
    await expect(page.locator("#form-message")).to_contain_text("报告已登记")
    await expect(page.locator("#form-message")).to_contain_text(shown(call_time))
    await expect(page.locator("#receipt-message")).to_contain_text("强制报告回执号")
    report_id = await page.locator("#form-message").get_attribute("data-report-id")

    report = (await http.get(f"{system.urls['intake']}/v1/reports/{report_id}")).json()
    assert datetime.fromisoformat(report["received_at"]) == call_time  # entered as Beijing time
    assert (report["hotline_ticket_id"], report["channel"]) == ("GD-20261203-0042", "web")
    child = report["child"] | {"status": sorted(report["child"]["status"])}
    assert {key: child.get(key) for key in EVERY_CHILD_FIELD} == EVERY_CHILD_FIELD | {
        "name": "赵小满",
        "gender": "female",
        "age": age_now(),
        "birth_date": "2015-03-15",
        "id_number": CHILD_ID,
        "address": "大寨村东街3号",
        "division_code": "140724104",
        "hukou_address": "山西省晋中市和顺县",
        "hukou_division_code": "140725103",
        "status": ["in_difficulty", "left_behind"],
    }
    assert sorted(report["concerns"]) == ["lack_of_guardianship", "neglect"]
    assert report["immediate_danger"] is True and report["mandatory_report"] is True
    assert report["narrative"] == "孩子父母外出务工，冬天独自在家，屋内无取暖。"
    reporter = report["reporter"]
    assert (reporter["name"], reporter["phone"], reporter["relation"]) == ("钱老师", "13912345678", "班主任")
    assert (reporter["institution_type"], reporter["institution_name"]) == ("school", "大寨镇中心小学")
    assert reporter["mandatory_reporter"] is True and reporter["anonymous"] is False

    row = page.locator(f"tr[data-report-id='{report_id}']")
    await expect(row).to_contain_text(shown(call_time))  # Beijing time, not New York's
    await row.focus()
    await page.keyboard.press("Enter")  # the case by keyboard
    await expect(page.locator("#case-timeline")).to_contain_text("热线受理")
    await expect(page.locator("#case-timeline")).to_contain_text(shown(call_time))
    await expect(page.locator("#case-panel")).not_to_contain_text(report_id[:8])
    assert await violations(page) == []


async def test_anonymous_hides_the_reporters_identity_and_errors_show_beside_their_fields(page):
    await page.get_by_label("匿名举报（不记录姓名和电话）").check()
    await expect(page.locator("[name='reporter.name']")).to_be_hidden()
    await page.get_by_label(MANDATORY).check()
    await expect(page.locator("[name='reporter.institution_type']")).to_be_visible()
    await expect(page.locator("[name=channel] option")).to_have_text(["电话", "网站", "手机应用", "来访", "单位报告"])
    future = datetime.now(BEIJING) + timedelta(days=1)
    await page.fill("[name=received_at]", future.strftime("%Y-%m-%dT%H:%M"))
    await page.fill("[name='child.hukou_division_code']", "12345")
    await page.click("button[type=submit]")
    for field, words in (("received_at", "不能晚于当前时间"), ("child.hukou_division_code", ""), ("concerns", "")):
        error = page.locator(f".error[data-field='{field}']")
        await expect(error).not_to_be_empty()
        await expect(error).to_contain_text(words)
    received = page.locator("[name=received_at]")
    assert await received.get_attribute("aria-invalid") == "true"
    error_id = await received.get_attribute("aria-describedby")
    await expect(page.locator(f"#{error_id}")).to_contain_text("不能晚于当前时间")  # the slot beside the field
    assert await violations(page) == []
    await page.screenshot(path=SCREENSHOTS / "operator-field-errors.png", full_page=True)

    await page.fill("[name=received_at]", beijing_call_time().strftime("%Y-%m-%dT%H:%M"))
    await page.fill("[name='child.hukou_division_code']", "")
    await page.get_by_label("忽视", exact=True).check()
    await page.fill("[name=narrative]", "孩子无人照看。")
    await page.fill("[name='child.age']", "8")
    await page.click("button[type=submit]")  # a mandatory reporter without a unit type: the domain's rule
    await expect(page.locator(".error[data-field='reporter.institution_type']")).to_contain_text("单位类型")
    assert await page.locator("#institution .error[data-field='reporter.institution_type']").count() == 1


async def test_the_receipt_page_passes_axe(system):
    async with chromium() as browser:
        page = await open_page(browser, f"{system.urls['intake']}/operator/receipt.html", "", phone=True)
        await page.click("button[type=submit]")
        assert await violations(page) == []


async def test_the_referral_form_prints_the_case_in_beijing_time(system, http):
    call_time = beijing_call_time()
    body = report_body(
        received_at=call_time.isoformat(),
        child={"division_code": "140724104", "name": "孙小禾", "age": 9, "gender": "male", "status": ["left_behind"]},
        concerns=["lack_of_guardianship"],
    )
    report_id = (await http.post(f"{system.urls['intake']}/v1/reports", json=body)).json()["report_id"]
    referral, _ = await follow(http, system, report_id)
    station = token(Role.STATION, "140724104", "station-dazhai")
    acknowledged = await http.post(
        f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}/acknowledge",
        json={},
        headers={"Authorization": f"Bearer {station}"},
    )
    assert acknowledged.status_code == 200, acknowledged.text
    url = f"{system.urls['referral']}/pages/form.html?referral={referral['referral_id']}"
    async with chromium() as browser:
        page = await open_page(browser, url, station, timezone_id=NEW_YORK)
        sheet = page.locator("#sheet")
        await expect(page.locator("#case-number")).to_have_text(referral["case_number"])
        await expect(page.locator("#station")).to_have_text("晋中市昔阳县大寨镇未成年人保护工作站")
        await expect(page.locator("#county")).to_have_text("昔阳县")
        await expect(page.locator("#child-name")).to_have_text("孙*禾")
        await expect(page.locator("#concerns")).to_have_text("监护缺失")
        await expect(page.locator("#child-status")).to_have_text("农村留守儿童")
        await expect(page.locator("#received-at")).to_contain_text(call_time.strftime("%H:%M"))
        await expect(page.locator("#deadlines")).to_contain_text("签收")
        history = page.locator("#history tr", has_text="签收")
        await expect(history).to_contain_text("晋中市昔阳县大寨镇未成年人保护工作站")  # by name, not a code
        await expect(page.locator("#history")).to_contain_text("转派至工作站（晋中市昔阳县大寨镇未成年人保护工作站）")
        await expect(sheet).to_contain_text("承办人（签字）")
        await expect(sheet).not_to_contain_text(referral["referral_id"][:8])
        assert await violations(page) == []
        await page.screenshot(path=SCREENSHOTS / "referral-form.png", full_page=True)

        await page.emulate_media(media="print")
        await expect(page.locator("#print")).to_be_hidden()
        await expect(page.locator("header")).to_be_hidden()
        await expect(page.locator("#case-number")).to_be_visible()
        await page.pdf(path=str(SCREENSHOTS / "referral-form.pdf"), format="A4", print_background=True)
        assert (SCREENSHOTS / "referral-form.pdf").stat().st_size > 0


async def test_a_divisions_path_names_it_and_those_above_it(system, http):
    path = (await http.get(f"{system.urls['referral']}/v1/divisions/140724104/path")).json()
    assert [(d["name"], d["level"]) for d in path] == [
        ("山西省", "province"), ("晋中市", "city"), ("昔阳县", "county"), ("大寨镇", "township"),
    ]  # fmt: skip
    assert (await http.get(f"{system.urls['referral']}/v1/divisions/149999999/path")).status_code == 404
    assert (await http.get(f"{system.urls['referral']}/v1/divisions/14x/path")).status_code == 422
