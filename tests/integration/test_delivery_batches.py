"""A batch's deliveries recorded together, on the real database: one transaction for all of them, each at
its own time, and recorded even when another attempt of the batch met an outage."""

from uuid import uuid4

import pytest

from services.notification.adapters.notification_repository import NotificationRepository
from services.notification.app import MIGRATIONS
from services.notification.application.delivery import Delivery
from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.delivery_rules import AddressedNotice
from services.notification.domain.notices import Audience, Notice, NoticeKind
from shared.database import apply_migrations, create_pool

STATION = "140724104"


@pytest.fixture
async def pool(new_database):
    url = await new_database("delivery_batches")
    apply_migrations(url, MIGRATIONS)
    pool = await create_pool(url)
    yield pool
    await pool.close()


class Receiver:
    """Takes every message but those to `unreachable`, where the connection is refused (an outage)."""

    def __init__(self, unreachable: str = "") -> None:
        self.unreachable = unreachable

    async def send(self, message) -> None:
        if message.address == self.unreachable:
            raise ConnectionRefusedError("refused")


async def pending(pool, addresses: list[str]) -> None:
    notice = Notice(NoticeKind.ASSIGNED, Audience.ASSIGNEE, STATION, STATION, uuid4(), "新的转介", "请签收")
    addressed = [AddressedNotice(uuid4(), notice, STATION, DeliveryChannel.WEBHOOK, one) for one in addresses]
    async with pool.acquire() as connection:
        await NotificationRepository(connection).add_pending(addressed)


async def test_a_batch_of_deliveries_is_recorded_in_one_transaction(pool):
    await pending(pool, [f"http://station.example/hook/{number}" for number in range(5)])
    assert await Delivery(pool, {DeliveryChannel.WEBHOOK: Receiver()}).deliver_due() == 5

    rows = await pool.fetch("SELECT xmin::text AS xid, status, delivered_at FROM notifications")
    attempts = await pool.fetch("SELECT outcome, finished_at FROM delivery_attempts")
    assert {row["status"] for row in rows} == {"delivered"} and len({row["xid"] for row in rows}) == 1
    assert sorted(row["delivered_at"] for row in rows) == sorted(row["finished_at"] for row in attempts)
    assert {row["outcome"] for row in attempts} == {"delivered"}


async def test_deliveries_are_recorded_though_another_attempt_of_the_batch_met_an_outage(pool):
    await pending(pool, ["http://station.example/hook/1", "http://down.example/hook", "http://station.example/hook/2"])
    with pytest.raises(ConnectionRefusedError):
        await Delivery(pool, {DeliveryChannel.WEBHOOK: Receiver("http://down.example/hook")}).deliver_due()

    rows = await pool.fetch("SELECT address, status FROM notifications ORDER BY address")
    assert [(row["address"], row["status"]) for row in rows] == [
        ("http://down.example/hook", "pending"),  # leased: tried again once the lease runs out
        ("http://station.example/hook/1", "delivered"),
        ("http://station.example/hook/2", "delivered"),
    ]
