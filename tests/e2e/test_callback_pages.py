"""The hotline's side of a case's end, in the browser against the running services: a mandatory reporter's
report is filed and gets a receipt; the station acknowledges and closes it; the operator page shows the
case's timeline and lists the callback, recorded with its form; the reporter's receipt page says 已办结."""

from playwright.async_api import expect

from shared.domain.access import Role
from tests.auth import bearer, token
from tests.e2e.browser import SCREENSHOTS, chromium, open_page
from tests.e2e.test_thin_path import follow
from tests.factories import report_body

STATION = "140724104"
PHONE = "13955556666"
REPORTER = {"name": "陈老师", "phone": PHONE, "mandatory_reporter": True, "institution_type": "school"}


async def test_the_operator_sees_the_timeline_records_the_callback_and_the_reporter_reads_the_receipt(system, http):
    body = report_body(
        child={"division_code": STATION, "age": 9}, concerns=["hardship"], reporter=REPORTER, narrative="家庭困难。"
    )
    filed = (await http.post(f"{system.urls['intake']}/v1/reports", json=body)).json()
    report_id, receipt = filed["report_id"], filed["receipt_number"]
    referral, _ = await follow(http, system, report_id)
    station = bearer(Role.STATION, STATION, "station-dazhai")
    steps = f"{system.urls['referral']}/v1/referrals/{referral['referral_id']}"
    assert (await http.post(f"{steps}/acknowledge", json={}, headers=station)).status_code == 200
    closed = await http.post(f"{steps}/close", json={"outcome": "services_arranged"}, headers=station)
    assert closed.status_code == 200, closed.text

    async with chromium() as browser:
        operator = await open_page(browser, f"{system.urls['intake']}/operator/", token(subject="operator-callback"))
        task = operator.locator(f"li[data-callback-report-id='{report_id}']")
        for _ in range(60):
            if await task.count():
                break
            await operator.click("#refresh-callbacks")
            await operator.wait_for_timeout(500)
        await expect(task).to_contain_text("已办结（已链接帮扶服务）")
        await task.locator("button.link").click()
        await expect(operator.locator("#case-timeline")).to_contain_text("签收")
        await expect(operator.locator("#case-timeline")).to_contain_text("办结")
        await expect(operator.locator("#case-timeline")).to_contain_text("晋中市昔阳县大寨镇未成年人保护工作站")
        await expect(operator.locator("#case-receipt")).to_contain_text(receipt)
        await operator.screenshot(path=SCREENSHOTS / "callback-1-timeline.png", full_page=True)

        form = task.locator("form")
        await form.locator("[name=reached]").check()
        await form.locator("button[type=submit]").click()
        await expect(form.locator(".error[data-field=satisfaction]")).not_to_be_empty()
        await form.locator("[name=satisfaction]").select_option("satisfied")
        await form.locator("[name=notes]").fill("报告人表示情况已好转")
        await form.locator("button[type=submit]").click()
        await expect(operator.locator(f"li[data-callback-report-id='{report_id}']")).to_have_count(0)

        reporter = await open_page(browser, f"{system.urls['intake']}/receipt", "")
        await reporter.set_viewport_size({"width": 390, "height": 800})
        await reporter.fill("#receipt_number", receipt)
        await reporter.fill("#phone", "13900000000")
        await reporter.click("button[type=submit]")
        await expect(reporter.locator("#answer")).to_contain_text("回执号或电话号码不正确")
        await reporter.fill("#phone", PHONE)
        await reporter.click("button[type=submit]")
        await expect(reporter.locator("#answer")).to_contain_text("已办结")
        await reporter.screenshot(path=SCREENSHOTS / "callback-2-receipt.png", full_page=True)
        assert "陈老师" not in await reporter.content() and "家庭困难" not in await reporter.content()

    view = (await http.get(f"{system.urls['intake']}/v1/reports/{report_id}")).json()
    assert ("callback", "满意") in [(entry["what"], entry["detail"]) for entry in view["timeline"]]
