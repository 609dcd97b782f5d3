"""Reports per second through the batch intake (`POST /v1/reports/batch`) of a system already running (./run),
and, in the same run on the same database, the raw insert ceiling: the same rows written by COPY into a scratch
copy of the reports table, batch by batch, one transaction each, from as many writers. Prints both and the ratio;
asserts nothing. Every report sent is a real one (its own 12345 ticket) and goes down the pipeline.

    .venv/bin/python -m benchmarks.batch_intake [--reports 20000] [--batch 500] [--senders 4]
"""

import argparse
import asyncio
import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import aiohttp
import asyncpg

from benchmarks.pipeline.load import REPORT
from services.intake.adapters.report_repository import INSERT_COLUMNS, report_row
from services.intake.entrypoints.http.report_request import ReportIn
from shared.auth.tokens import issue_token
from shared.domain.access import Role
from shared.events import utcnow
from shared.settings import DEVELOPMENT_JWT_SECRET

REPO_ROOT = Path(__file__).resolve().parents[1]
COLUMNS = [name.strip() for name in INSERT_COLUMNS.split("(", 1)[1].rstrip(") ").split(",")]  # report_row's


def batches(run: str, count: int, size: int) -> list[list[dict]]:
    """`count` reports, each under its own ticket, in batches of `size`."""
    bodies = [REPORT | {"hotline_ticket_id": f"BENCH{run}{n:07d}"} for n in range(count)]
    return [bodies[start : start + size] for start in range(0, count, size)]


@dataclass
class BatchesSent:
    per_second: float  # reports answered as stored
    refused: int
    report_ids: list[str] = field(default_factory=list)


async def through_the_endpoint(url: str, token: str, work: list[list[dict]], senders: int) -> BatchesSent:
    """Reports per second answered as stored, how many items were not, and the stored reports' ids."""
    queue: asyncio.Queue[list[dict]] = asyncio.Queue()
    for batch in work:
        queue.put_nowait(batch)
    stored = refused = 0
    report_ids: list[str] = []

    async def sender(client: aiohttp.ClientSession) -> None:
        nonlocal stored, refused
        while not queue.empty():
            batch = queue.get_nowait()
            async with client.post("/v1/reports/batch", json={"reports": batch}) as response:
                if response.status not in (201, 207):
                    raise RuntimeError(f"the batch was answered {response.status}: {(await response.text())[:300]}")
                answer = await response.json()
            stored += answer["created"] + answer["accepted_before"]
            refused += answer["refused"]
            report_ids.extend(item["report_id"] for item in answer["results"] if item["report_id"])

    headers = {"Authorization": f"Bearer {token}"}
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(base_url=url, headers=headers, timeout=timeout) as client:
        started = time.perf_counter()
        await asyncio.gather(*(sender(client) for _ in range(senders)))
        seconds = time.perf_counter() - started
    return BatchesSent(stored / seconds, refused, report_ids)


async def raw_ceiling(database_url: str, work: list[list[dict]], senders: int) -> float:
    """Rows per second COPYed into a scratch table like reports (its indexes too), one transaction per batch."""
    now = utcnow()
    rows = [[_row(body, now) for body in batch] for batch in work]
    table = f"benchmark_scratch_{uuid.uuid4().hex[:8]}"
    pool = await asyncpg.create_pool(database_url, min_size=senders, max_size=senders)
    try:
        await pool.execute(f"CREATE TABLE {table} (LIKE reports INCLUDING DEFAULTS INCLUDING INDEXES)")
        queue: asyncio.Queue[list[tuple]] = asyncio.Queue()
        for batch in rows:
            queue.put_nowait(batch)

        async def writer() -> None:
            while not queue.empty():
                batch = queue.get_nowait()
                async with pool.acquire() as connection, connection.transaction():
                    await connection.copy_records_to_table(table, records=batch, columns=COLUMNS)

        started = time.perf_counter()
        await asyncio.gather(*(writer() for _ in range(senders)))
        seconds = time.perf_counter() - started
    finally:
        await pool.execute(f"DROP TABLE IF EXISTS {table}")
        await pool.close()
    return sum(map(len, rows)) / seconds


def _row(body: dict, now: object) -> tuple:
    """The row the batch intake stores for the body (no reporter identity, as the benchmark's reports have none)."""
    report = ReportIn.model_validate(body)
    fields = {"created_by": "benchmark", "sealed_identity": None, "request_hash": report.fingerprint()}
    return report_row(uuid.uuid4(), report.to_report(), received_at=now, hotline_area="1407", **fields)


def _intake_database_url(state: Path) -> str:
    """The intake database of the running system, from what ./run wrote, unless INTAKE_DATABASE_URL is set."""
    if os.environ.get("INTAKE_DATABASE_URL"):
        return os.environ["INTAKE_DATABASE_URL"]
    lines = (state / "infra.env").read_text().splitlines()
    values = dict(line.removeprefix("export ").split("=", 1) for line in lines if "=" in line)
    return values["INTAKE_DATABASE_URL"].strip("'\"")


async def measure(args: argparse.Namespace) -> None:
    secret = os.environ.get("JWT_SECRET", DEVELOPMENT_JWT_SECRET)
    token = issue_token(secret, "benchmark-batch", Role.OPERATOR, "1407", timedelta(hours=2))
    run = uuid.uuid4().hex[:8]
    print(f"{args.reports} reports in batches of {args.batch}, {args.senders} at a time", flush=True)
    sent = await through_the_endpoint(args.url, token, batches(run, args.reports, args.batch), args.senders)
    endpoint = sent.per_second
    print(f"  batch intake: {endpoint:,.0f} reports/s ({sent.refused} items refused)", flush=True)
    ceiling = await raw_ceiling(
        _intake_database_url(args.state), batches(f"{run}c", args.reports, args.batch), args.senders
    )
    print(f"  raw insert ceiling (COPY into a scratch table): {ceiling:,.0f} rows/s", flush=True)
    print(f"  batch intake / ceiling: {endpoint / ceiling:.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('INTAKE_HTTP_PORT', '8001')}")
    parser.add_argument("--state", type=Path, default=Path(os.environ.get("RUN_STATE_DIR", REPO_ROOT / ".run")))
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--senders", type=int, default=4)
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
