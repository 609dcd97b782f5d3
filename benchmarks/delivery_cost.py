"""What recording a delivered notification costs: one transaction for each (as the dispatcher used to) or one
for the batch's deliveries together (as it does now). The dispatcher delivers 2,000 notifications, 20 at a
time, to a sender that takes them at once; printed per notification: transactions that wrote, the CPU of the PostgreSQL
backends serving it (from /proc) and of this process. Rounds alternate between the two ways, each on a fresh
database. PostgreSQL is DATABASE_URL's (an admin URL) or a cluster started for the run. Asserts nothing.

    .venv/bin/python -m benchmarks.delivery_cost [--notifications 2000] [--rounds 3]
"""

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import asyncpg

from deploy.local.postgres import LocalPostgres
from deploy.local.process import free_port
from services.notification.adapters.notification_repository import NotificationRepository
from services.notification.app import MIGRATIONS
from services.notification.application.delivery import Delivery
from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.delivery_rules import AddressedNotice
from services.notification.domain.notices import Audience, Notice, NoticeKind
from shared.database import apply_migrations, create_pool, ensure_database

WARM_UP, BATCH, STATION = 200, 20, "140724104"
TICK = os.sysconf("SC_CLK_TCK")


class Taken:
    async def send(self, _message: object) -> None:
        pass


class OneByOne(Delivery):
    """The way it was: each delivery recorded in a transaction of its own."""

    async def _delivered(self, delivered: list) -> None:
        await asyncio.gather(*(Delivery._delivered(self, [pair]) for pair in delivered))


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / TICK


async def backends_and_last_xid(connection: asyncpg.Connection) -> tuple[list[int], int]:
    """The backends serving this database, and the last transaction id: each transaction that writes takes
    one (pg_stat_database counts commits too, but reports them late). Another client writing to the same
    cluster meanwhile would be counted too."""
    pids = "SELECT array_agg(pid) FROM pg_stat_activity WHERE datname = current_database()"
    return list(await connection.fetchval(pids)), await connection.fetchval("SELECT txid_current()")


async def one_round(url: str, way: type[Delivery], count: int) -> tuple[float, float, float]:
    """Transactions, PostgreSQL CPU ms and dispatcher CPU ms per delivered notification."""
    pool = await create_pool(url)
    notice = Notice(NoticeKind.ASSIGNED, Audience.ASSIGNEE, STATION, STATION, uuid4(), "新的转介", "请签收")
    webhook = DeliveryChannel.WEBHOOK
    addressed = [AddressedNotice(uuid4(), notice, STATION, webhook, "http://s/hook") for _ in range(count + WARM_UP)]
    delivery = way(pool, {webhook: Taken()}, batch=BATCH)
    try:
        async with pool.acquire() as connection:
            await NotificationRepository(connection).add_pending(addressed)
        for _ in range(WARM_UP // BATCH):  # the pool opens its connections
            await delivery.deliver_due()
        async with pool.acquire() as connection:
            pids, last_xid = await backends_and_last_xid(connection)
        postgres, dispatcher = cpu_seconds(pids), time.process_time()
        while await delivery.deliver_due():
            pass
        postgres, dispatcher = cpu_seconds(pids) - postgres, time.process_time() - dispatcher
        async with pool.acquire() as connection:
            transactions = (await backends_and_last_xid(connection))[1] - last_xid - 1  # its own id
    finally:
        await pool.close()
    return transactions / count, postgres * 1000 / count, dispatcher * 1000 / count


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    with tempfile.TemporaryDirectory(prefix="delivery-cost-") as home:
        cluster = LocalPostgres(Path(home), port=free_port())
        try:
            yield cluster.start()
        finally:
            cluster.stop()


async def main(admin_url: str, count: int, rounds: int) -> None:
    print(f"{count} notifications a round, {BATCH} at a time; per notification:")
    for number in range(1, rounds + 1):
        for label, way in (("before", OneByOne), ("after", Delivery)):
            name = f"delivery_cost_{uuid4().hex[:10]}"
            url = await ensure_database(admin_url, name)
            await asyncio.to_thread(apply_migrations, url, MIGRATIONS)
            transactions, database, dispatcher = await one_round(url, way, count)
            admin = await asyncpg.connect(admin_url)
            await admin.execute(f'DROP DATABASE "{name}"')
            await admin.close()
            print(
                f"round {number} {label:6}  transactions {transactions:.2f}  PostgreSQL CPU {database:.3f} ms"
                f"  dispatcher CPU {dispatcher:.3f} ms"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notifications", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with postgres() as admin:
        asyncio.run(main(admin, args.notifications, args.rounds))
