"""The deadline policy in force, kept in memory and refreshed every minute; an administrator's change makes
a new version, and deadlines already running keep the version they were made under."""

import asyncpg

from services.notification.adapters.policy_repository import PolicyRepository
from services.notification.domain.deadlines import Policy
from services.notification.domain.policy import DEFAULTS_UNREAD
from shared.domain.problems import NotFound
from shared.refreshing import refresh_every


class PolicyKeeper:
    def __init__(self) -> None:
        self.current = DEFAULTS_UNREAD

    async def refresh(self, pool: asyncpg.Pool) -> None:
        async with pool.acquire() as connection:
            self.current = await PolicyRepository(connection).current()

    async def keep_fresh(self, pool: asyncpg.Pool, every: float = 60.0) -> None:
        await refresh_every(every, lambda: self.refresh(pool), "policy")


async def change_policy(pool: asyncpg.Pool, keeper: PolicyKeeper, policy: Policy, actor: str) -> int:
    """The new version's number."""
    async with pool.acquire() as connection, connection.transaction():
        version = await PolicyRepository(connection).add_version(policy, actor)
    await keeper.refresh(pool)
    return version


async def policy_of_version(pool: asyncpg.Pool, version: int) -> Policy:
    async with pool.acquire() as connection:
        policy = await PolicyRepository(connection).version(version)
    if policy is None:
        raise NotFound("没有这个版本")
    return policy
