"""A report that goes no further is seen, on the running services: with referral down, an accepted report is
stuck once the set time passes; with referral failing on it, it is dead-lettered and stuck with the error.
Either way it shows in intake's /health/ready, its metric, the supervisors' list and page, and as a mail to
the hotline supervisors' lead; a referral clears it, and after the fix `replay` carries it through."""

import os
import random
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.async_api import expect

from deploy.local.process import REPO_ROOT
from shared.identifiers import id_check_character
from shared.topics import REPORT_RECEIVED
from tests.auth import token
from tests.e2e.browser import SCREENSHOTS, chromium, open_page
from tests.e2e.test_metrics import _figures
from tests.factories import report_body
from tests.waiting import eventually

# referral works out `received_at - window` for a child it can tell apart (here by ID number): this overflows.
# It still carries a report about a child it cannot tell apart.
FAILING = {"REFERRAL_REPEAT_WINDOW_DAYS": "999999999"}
HOTLINE_MAIL = "hotline-lead@demo.invalid"  # reference/demo_committees.csv


@pytest.fixture
def referral_restored(system) -> Iterator[None]:
    """Whatever happens here, referral runs as configured for the tests after this one."""
    yield
    system.restore("referral")


def child_id_number() -> str:
    first = f"140724201603{random.randint(1, 28):02d}{random.randint(0, 999):03d}"
    return first + id_check_character(first)


async def stuck_reasons(http, intake: str, report_id: str) -> dict[str, dict]:
    return {
        row["reason"]: row
        for row in (await http.get(f"{intake}/v1/reports/stuck")).json()
        if row["report_id"] == report_id
    }


async def file_report(http, intake: str, **overrides) -> str:
    response = await http.post(f"{intake}/v1/reports", json=report_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()["report_id"]


async def seen_everywhere(http, system, mail, report_id: str, reason: str, reason_words: str) -> None:
    """Warned of in /health/ready, counted in the metric, and told to the hotline's lead by mail."""
    intake = system.urls["intake"]

    async def warned() -> list[str]:
        ready = (await http.get(f"{intake}/health/ready")).json()
        return [warning for warning in ready["warnings"] if "report(s) stuck" in warning and ready["status"] == "ready"]

    await eventually(warned, 10, "the warning in /health/ready")
    assert (await _figures(http, intake))["reports_stuck"][(("reason", reason),)] >= 1

    async def mailed():
        return [
            message
            for message in mail.messages
            if f"报告 {report_id[:8]}（{reason_words}）" in message["Subject"]
            and HOTLINE_MAIL in message["X-Envelope-To"]
        ]

    [message] = await eventually(mailed, 60, "the mail to the hotline supervisors' lead")
    assert message["Subject"].startswith("【报告滞留】")
    assert "北京时间" in message.get_content() and report_id in message.get_content()


async def test_a_stuck_report_is_seen_until_a_referral_comes_of_it_and_replay_carries_it_through(
    system, http, mail, infrastructure, referral_restored
):
    intake = system.urls["intake"]

    # (a) referral is down: no referral comes of the report in time (5 seconds here: see conftest.py)
    system.stop_service("referral")
    waiting = await file_report(http, intake)  # about a child referral cannot tell apart
    rows = await eventually(lambda: stuck_reasons(http, intake, waiting), 30, "the report without a referral")
    assert set(rows) == {"no_referral"} and rows["no_referral"]["error"] is None
    await seen_everywhere(http, system, mail, waiting, "no_referral", "超时未转介")
    system.start_service("referral", FAILING)
    await eventually(lambda: _not_stuck(http, intake, waiting), 60, "the referral to clear it")

    # (b) referral fails on a report: after its retries it is set aside, and intake marks the report stuck
    child = {"division_code": "140724104", "id_number": child_id_number()}
    failing = await file_report(http, intake, child=child)

    async def dead_lettered():
        return (await stuck_reasons(http, intake, failing)).get("dead_lettered")

    dead = await eventually(dead_lettered, 90, "the dead letter to make the report stuck")
    assert dead["error"] == "handler failed: OverflowError" and dead["source_topic"] == REPORT_RECEIVED
    assert dead["consumer_group"].startswith("e2e-referral-")
    await seen_everywhere(http, system, mail, failing, "dead_lettered", "处理失败被搁置")
    await shown_on_the_page(system, failing)
    await listed_for_the_supervisors(system, child["id_number"])

    # the cause fixed, replay carries it through: routed, and no longer stuck
    system.stop_service("referral")
    system.start_service("referral")
    replay = subprocess.run(
        [sys.executable, "-m", "shared.dead_letters", "replay", "--topic", REPORT_RECEIVED, "--all"],
        cwd=REPO_ROOT,
        env=os.environ | {"KAFKA_BOOTSTRAP_SERVERS": infrastructure.kafka_bootstrap_servers},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert replay.returncode == 0, replay.stderr

    async def routed():
        return (await http.get(f"{intake}/v1/reports/{failing}")).json()["status"]["state"] == "routed"

    await eventually(routed, 60, "the replayed report to be routed")
    await eventually(lambda: _not_stuck(http, intake, failing), 30, "the routed report to be no longer stuck")


async def _not_stuck(http, intake: str, report_id: str) -> bool:
    return not await stuck_reasons(http, intake, report_id)


async def shown_on_the_page(system, report_id: str) -> None:
    """The operator page lists it with the reason in words and the error."""
    async with chromium() as browser:
        page = await open_page(browser, f"{system.urls['intake']}/operator/", token(subject="stuck-page-test"))
        row = page.locator(f"#stuck-reports tr[data-stuck-report-id='{report_id}'][data-reason='dead_lettered']")
        await expect(row).to_contain_text("处理失败被搁置")
        await expect(row).to_contain_text("handler failed: OverflowError")
        await expect(row).to_contain_text(f"报告 {report_id[:8]}")
        await page.screenshot(path=SCREENSHOTS / "operator-stuck-reports.png", full_page=True)


async def listed_for_the_supervisors(system, id_number: str) -> None:
    """The supervisors' queue page lists the dead letter with its reason in words, never the event's body."""
    async with chromium() as browser:
        page = await open_page(browser, f"{system.urls['referral']}/pages/workbench.html", token(subject="supervisor"))
        letters = page.locator("#dead-letters")
        await expect(letters).to_contain_text("处理该事件时出错（OverflowError）", timeout=30_000)
        assert id_number not in await page.content()
        await page.locator("#dead-letters-section").screenshot(path=SCREENSHOTS / "supervisors-dead-letters.png")
