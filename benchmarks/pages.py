"""How fast the workbench and the committee's dashboard load: with the demo data, then with 100,000
referrals (and their 400,000 stage deadlines) in the databases. Starts its own system (./run --detach in
.run/pages-benchmark), times the API calls each page makes and the whole page in Chromium, prints the
figures and writes docs/PAGE_BENCHMARKS.md; with --phone-only, only the station's list on a throttled phone
(benchmarks.phone_page), whose section it puts in place of the file's. Asserts nothing.

    .venv/bin/python -m benchmarks.pages [--referrals 100000] [--phone-only]
"""

import argparse
import asyncio
import random
import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

from benchmarks.phone_page import fill_open_cases, section, served_sizes, time_phone_list
from benchmarks.pipeline.stats import percentile
from deploy.local.detached import detached_system
from deploy.local.process import REPO_ROOT
from shared.auth.tokens import issue_token
from shared.domain.access import Role
from shared.settings import DEVELOPMENT_JWT_SECRET
from tests.e2e.browser import chromium, open_page

STATION, COUNTY, AREA = "140724104", "140724", "1407"
STAGES = ("acknowledge", "first_contact", "home_visit", "assessment")


def token(role: Role, scope: str) -> str:
    return issue_token(DEVELOPMENT_JWT_SECRET, f"bench-{role.value}", role, scope, timedelta(hours=2))


async def fill(referral_url: str, notification_url: str, count: int) -> float:
    """Referrals spread over Jinzhong's stations and the last 90 days: half closed, a third acknowledged."""
    started = time.perf_counter()
    referral_db, notification_db = await asyncpg.connect(referral_url), await asyncpg.connect(notification_url)
    try:
        stations = [
            r["code"]
            for r in await referral_db.fetch("SELECT code FROM stations WHERE code LIKE '1407%' AND kind = 'station'")
        ]
        rng, now = random.Random(7), datetime.now(UTC)
        referrals, deadlines = [], []
        for _ in range(count):
            created = now - timedelta(minutes=rng.randint(0, 90 * 24 * 60))
            status = rng.choices(["assigned", "acknowledged", "closed"], [2, 3, 5])[0]
            acknowledged = created + timedelta(minutes=rng.randint(5, 600)) if status != "assigned" else None
            visited = created + timedelta(hours=rng.randint(6, 200)) if status == "closed" else None
            referral_id, report_id = uuid.uuid4(), uuid.uuid4()
            station = rng.choice(stations)
            referrals.append(
                (
                    referral_id,
                    report_id,
                    status,
                    station,
                    rng.choice(["P1", "P2", "P3"]),
                    False,
                    "routed",
                    station,
                    created,
                    created,
                    acknowledged,
                    visited,
                    visited if status == "closed" else None,
                    "services_arranged" if status == "closed" else None,
                    rng.choice([1, 1, 1, 2]),
                    rng.choice([0, 0, 0, 1]),
                )
            )
            for number, stage in enumerate(STAGES):
                due = created + timedelta(hours=4 * (number + 1) * 6)
                met = (acknowledged if number == 0 else visited) if status != "assigned" else None
                state = "met" if met else ("cancelled" if status == "closed" else "pending")
                deadlines.append(
                    (uuid.uuid4(), referral_id, report_id, stage, "P2", station, created, due, False, state, met, 1)
                )
        await referral_db.copy_records_to_table(
            "referrals",
            records=referrals,
            columns=[
                "referral_id",
                "report_id",
                "status",
                "assignee_code",
                "priority",
                "police_required",
                "routing_reason",
                "division_code",
                "created_at",
                "updated_at",
                "acknowledged_at",
                "home_visit_at",
                "closed_at",
                "outcome",
                "report_count",
                "decline_count",
            ],
        )
        await notification_db.copy_records_to_table(
            "deadlines",
            records=deadlines,
            columns=[
                "deadline_id",
                "referral_id",
                "report_id",
                "stage",
                "priority",
                "assignee_code",
                "starts_at",
                "due_at",
                "provisional",
                "status",
                "met_at",
                "policy_version",
            ],
        )
        await referral_db.execute("ANALYZE referrals")
        await notification_db.execute("ANALYZE deadlines")
    finally:
        await referral_db.close()
        await notification_db.close()
    return time.perf_counter() - started


async def time_calls(urls: dict[str, str], rounds: int = 20) -> dict[str, list[float]]:
    station, committee = token(Role.STATION, STATION), token(Role.COMMITTEE, AREA)
    calls = {
        "workbench: the station's referrals": (f"{urls['referral']}/v1/stations/{STATION}/referrals", station),
        "workbench: the station's clocks": (f"{urls['notification']}/v1/stations/{STATION}/deadlines", station),
        "dashboard: figures by place, 30 days": (f"{urls['referral']}/v1/dashboard?area={AREA}&days=30", committee),
        "dashboard: stage performance, 30 days": (
            f"{urls['notification']}/v1/stage-performance?area={AREA}&days=30",
            committee,
        ),
        "dashboard: overdue list": (f"{urls['notification']}/v1/overdue?area={AREA}", committee),
        "dashboard: CSV export, 90 days": (f"{urls['referral']}/v1/dashboard.csv?area={AREA}&days=90", committee),
    }
    times: dict[str, list[float]] = {}
    async with httpx.AsyncClient(timeout=60) as client:
        for name, (url, bearer) in calls.items():
            await client.get(url, headers={"Authorization": f"Bearer {bearer}"})  # warm
            times[name] = []
            for _ in range(rounds):
                started = time.perf_counter()
                response = await client.get(url, headers={"Authorization": f"Bearer {bearer}"})
                response.raise_for_status()
                times[name].append((time.perf_counter() - started) * 1000)
    return times


async def time_pages(urls: dict[str, str], rounds: int = 5) -> dict[str, list[float]]:
    pages = {
        "workbench page (station), until its rows show": (
            f"{urls['referral']}/pages/workbench.html",
            token(Role.STATION, STATION),
            "#cards li",
        ),
        "dashboard page (committee), until its figures show": (
            f"{urls['referral']}/pages/committee.html",
            token(Role.COMMITTEE, AREA),
            "#message.ok",
        ),
    }
    times: dict[str, list[float]] = {}
    async with chromium() as browser:
        for name, (url, bearer, ready) in pages.items():
            times[name] = []
            for _ in range(rounds + 1):
                started = time.perf_counter()
                page = await open_page(browser, url, bearer)
                await page.wait_for_selector(ready, timeout=120_000)
                times[name].append((time.perf_counter() - started) * 1000)
                await page.context.close()
            times[name] = times[name][1:]  # the first opens the browser's caches
    return times


def rows(times: dict[str, list[float]]) -> list[str]:
    return [
        f"| {name} | {percentile(values, 50):.0f} | {percentile(values, 95):.0f} | {max(values):.0f} |"
        for name, values in times.items()
    ]


async def phone(system, databases: dict[str, str]) -> str:
    print("the station's list on a throttled phone", flush=True)
    held = await fill_open_cases(databases["referral"], databases["notification"], STATION)
    url = f"{system.urls['referral']}/pages/workbench.html"
    bearer = token(Role.STATION, STATION)
    times = await time_phone_list(url, bearer, held)
    calls = {
        "the referrals": f"{system.urls['referral']}/v1/stations/{STATION}/referrals",
        "the clocks": f"{system.urls['notification']}/v1/stations/{STATION}/deadlines",
    }
    return section(times, held, STATION, await served_sizes(calls, bearer))


async def measure(count: int, phone_only: bool = False) -> str:
    state = REPO_ROOT / ".run" / "pages-benchmark"
    with detached_system(state) as system:
        infra = system.infra()
        databases = {s: infra[f"{s.upper()}_DATABASE_URL"] for s in ("referral", "notification")}
        if phone_only:
            return await phone(system, databases)
        print("demo data: timing the calls and the pages", flush=True)
        demo = await time_calls(system.urls) | await time_pages(system.urls)
        on_phone = await phone(system, databases)
        print(f"filling {count:,} referrals", flush=True)
        filled_in = await fill(databases["referral"], databases["notification"], count)
        print(f"  filled in {filled_in:.0f} s; timing again", flush=True)
        full = await time_calls(system.urls) | await time_pages(system.urls)
    header = "| | p50 ms | p95 ms | max ms |\n|---|---|---|---|"
    return f"""# Page benchmarks

Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `.venv/bin/python -m benchmarks.pages`, with Kafka, PostgreSQL,
the three services and Chromium all on this one machine (2 cores). API calls are timed from an HTTP client,
20 rounds each after a warm-up; pages from opening to their content showing in headless Chromium, 5 rounds.
The station ({STATION}, 大寨镇) and the committee (area {AREA}, 晋中市) are those of the demo data.

## With the demo data

{header}
{chr(10).join(rows(demo))}

{on_phone}
## With {count:,} referrals and {count * 4:,} stage deadlines

Spread over 晋中市's stations and the last 90 days (half closed, a third acknowledged; filled in {filled_in:.0f} s).

{header}
{chr(10).join(rows(full))}
"""


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pages")
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "PAGE_BENCHMARKS.md")
    parser.add_argument("--phone-only", action="store_true", help="only the station's list on a throttled phone")
    args = parser.parse_args()
    report = asyncio.run(measure(args.referrals, args.phone_only))
    if args.phone_only:
        report = with_section(args.output.read_text() if args.output.exists() else "# Page benchmarks\n", report)
    args.output.write_text(report)
    print(report)


def with_section(document: str, part: str) -> str:
    """`document` with its section of the same heading replaced by `part` (else `part` added at its end)."""
    heading = part.splitlines()[0]
    found = re.search(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", document, flags=re.M | re.S)
    if found:
        return (
            document[: found.start()] + part + ("\n" if found.end() < len(document) else "") + document[found.end() :]
        )
    return document.rstrip("\n") + "\n\n" + part


if __name__ == "__main__":
    main()
