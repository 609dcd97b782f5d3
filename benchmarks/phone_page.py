"""The station's list on a phone: Chromium at 390×844 on a throttled network and a slowed CPU, with 200 open
cases held by the demo station, timed from navigation until all their cards show. Part of benchmarks.pages."""

import random
import textwrap
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
from playwright.async_api import Browser, Page

from benchmarks.pipeline.stats import percentile
from shared.domain.codes import Concern
from shared.events.reports import ReportedChild, ReportReceived
from tests.e2e.browser import PHONE, chromium

OPEN_CASES = 200
STAGE_HOURS = {"acknowledge": 24, "first_contact": 72, "home_visit": 7 * 24, "assessment": 15 * 24}
# Lighthouse's mobile "slow 4G" profile (150 ms RTT, 1.6 Mbps down, 750 kbps up, CPU 4×) as Lighthouse itself
# applies it through the DevTools Protocol: per-request latency 150 ms × 3.75, throughput × 0.9.
LATENCY_MS, DOWN_KBPS, UP_KBPS, CPU_SLOWDOWN = 150 * 3.75, 1.6 * 1024 * 0.9, 750 * 0.9, 4
PROFILE = (
    "Lighthouse's mobile “slow 4G” profile (150 ms RTT, 1.6 Mbps down, 750 kbps up, CPU slowed 4×), applied "
    f"as Lighthouse applies it through the DevTools Protocol: {LATENCY_MS:.1f} ms added to every request, "
    f"{DOWN_KBPS:.0f} kbps down, {UP_KBPS:.0f} kbps up (`Network.emulateNetworkConditions`), "
    f"`Emulation.setCPUThrottlingRate` {CPU_SLOWDOWN}"
)
SURNAMES, GIVEN = "王李张刘陈杨赵黄周吴", ("小明", "思雨", "浩然", "欣怡", "子涵", "俊杰", "雨萱", "志强")


async def fill_open_cases(referral_url: str, notification_url: str, station: str) -> int:
    """Open referrals held by `station` (assigned or acknowledged, received in the last three days), each with
    its first report (a child's name, a village of the township, concerns) and its stage deadlines, until the
    station holds OPEN_CASES open cases. Returns how many it holds."""
    referral_db, notification_db = await asyncpg.connect(referral_url), await asyncpg.connect(notification_url)
    try:
        held = await referral_db.fetchval(
            "SELECT count(*) FROM referrals WHERE assignee_code = $1 AND status IN ('assigned', 'acknowledged')",
            station,
        )
        villages = [
            r["code"]
            for r in await referral_db.fetch(
                "SELECT code FROM divisions WHERE parent_code = $1 AND level = 'village'", station
            )
        ] or [station]
        rng, now = random.Random(11), datetime.now(UTC)
        referrals, reports, deadlines = [], [], []
        for number in range(OPEN_CASES - held):
            received = now - timedelta(minutes=rng.randint(10, 3 * 24 * 60))
            acknowledged = received + timedelta(minutes=rng.randint(5, 300)) if rng.random() < 0.5 else None
            referral_id, report_id, priority = uuid.uuid4(), uuid.uuid4(), rng.choice(["P1", "P2", "P3"])
            status = "acknowledged" if acknowledged else "assigned"
            case = f"{station[:6]}-{received.year}-9{number:05d}"
            referrals.append(
                (referral_id, report_id, status, station, priority, False, "routed", station)
                + (received, received, received, acknowledged, case)
            )
            child = ReportedChild(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                age=rng.randint(3, 16),
                division_code=rng.choice(villages),
            )
            concerns = rng.sample([Concern.NEGLECT, Concern.HARDSHIP, Concern.OUT_OF_SCHOOL, Concern.BULLYING], 2)
            report = ReportReceived(
                report_id=report_id,
                received_at=received,
                child=child,
                concerns=concerns,
                narrative="孩子长期无人照看。",
            )
            reports.append((report_id, referral_id, received, False, report.model_dump_json()))
            for stage, hours in STAGE_HOURS.items():
                met = acknowledged if stage == "acknowledge" else None
                deadlines.append(
                    (uuid.uuid4(), referral_id, report_id, stage, priority, station, received)
                    + (received + timedelta(hours=hours), False, "met" if met else "pending", met, 1)
                )
        await referral_db.copy_records_to_table(
            "referrals",
            records=referrals,
            columns=["referral_id", "report_id", "status", "assignee_code", "priority", "police_required"]
            + ["routing_reason", "division_code", "created_at", "updated_at", "received_at", "acknowledged_at"]
            + ["case_number"],
        )
        await referral_db.copy_records_to_table(
            "referral_reports",
            records=reports,
            columns=["report_id", "referral_id", "received_at", "linked", "report"],
        )
        await notification_db.copy_records_to_table(
            "deadlines",
            records=deadlines,
            columns=["deadline_id", "referral_id", "report_id", "stage", "priority", "assignee_code", "starts_at"]
            + ["due_at", "provisional", "status", "met_at", "policy_version"],
        )
        return held + len(referrals)
    finally:
        await referral_db.close()
        await notification_db.close()


async def _throttled_page(browser: Browser, token: str) -> Page:
    context = await browser.new_context(locale="zh-CN", **PHONE)
    await context.add_init_script(f"sessionStorage.setItem('token', '{token}')")
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": LATENCY_MS,
            "downloadThroughput": DOWN_KBPS * 1024 / 8,
            "uploadThroughput": UP_KBPS * 1024 / 8,
        },
    )
    await cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    return page


async def _until_cards(page: Page, count: int) -> None:
    await page.wait_for_function(
        "(n) => document.querySelectorAll('#cards a.card').length >= n", arg=count, polling=50, timeout=180_000
    )


async def time_phone_list(url: str, token: str, count: int, rounds: int = 5) -> dict[str, list[float]]:
    """Each round a fresh phone: the first load (nothing cached), then a reload once the service worker is
    ready (the app shell from its cache). The first round warms the servers and is left out."""
    first, warm = [], []
    async with chromium() as browser:
        for _ in range(rounds + 1):
            page = await _throttled_page(browser, token)
            started = time.perf_counter()
            await page.goto(url, wait_until="commit")
            await _until_cards(page, count)
            first.append((time.perf_counter() - started) * 1000)
            await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            started = time.perf_counter()
            await page.reload(wait_until="commit")
            await _until_cards(page, count)
            warm.append((time.perf_counter() - started) * 1000)
            await page.context.close()
    return {
        f"first load, until the {count} cards show": first[1:],
        f"reload with the service worker, until the {count} cards show": warm[1:],
    }


async def served_sizes(calls: dict[str, str], token: str) -> str:
    """What the list's calls weigh on the wire, as a browser asks for them (compression accepted)."""
    said = []
    async with httpx.AsyncClient(timeout=60) as client:
        for name, url in calls.items():
            headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip, deflate, br"}
            async with client.stream("GET", url, headers=headers) as response:
                await response.aread()
                encoding = response.headers.get("content-encoding", "not compressed")
                said.append(f"{name} {response.num_bytes_downloaded / 1024:.0f} KB ({encoding})")
    return "; ".join(said)


def section(times: dict[str, list[float]], count: int, station: str, sizes: str) -> str:
    figures = "\n".join(
        f"| {name} | {percentile(values, 50):.0f} | {percentile(values, 95):.0f} | {max(values):.0f} |"
        for name, values in times.items()
    )
    best, worst = min(min(v) for v in times.values()), max(max(v) for v in times.values())
    verdict = (
        "within 2 s" if worst <= 2000 else "not always within 2 s" if best <= 2000 else "beyond 2 s in every round"
    )
    about = textwrap.fill(
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `.venv/bin/python -m benchmarks.pages` (or its "
        f"`--phone-only`). The workbench as a station's worker opens it on a phone: Chromium at 390×844 (touch, "
        f"3× pixels), on {PROFILE}; the station {station} holding {count} open cases (the demo data's and filled "
        "ones: assigned or acknowledged, each with its first report — a child's name, a village, concerns — and "
        f"its stage deadlines). Timed from navigation until all {count} cards show, 5 rounds after one left out "
        "to warm the servers, each on a fresh phone (nothing cached) and then reloaded once the service worker "
        "is ready (the reload shows the list the phone kept from the first load at once, from the service "
        "worker's shell and IndexedDB, and then the server's answer over it). The target is a list usable "
        f"within 2 s: measured here it is {verdict} (fastest {best:.0f} ms, "
        f"slowest {worst:.0f} ms). What the list's calls weigh on the wire: {sizes}.",
        width=110,
        break_on_hyphens=False,
    )
    return f"""## The station's list on a phone

{about}

| | p50 ms | p95 ms | max ms |
|---|---|---|---|
{figures}
"""
