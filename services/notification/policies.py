"""The deadline policy in force, versioned in PostgreSQL: the domain defaults are version 1, each admin
change adds a version, and a deadline records the version it was made under."""

import json
from dataclasses import dataclass

import asyncpg

from services.notification.deadlines import DEFAULT_POLICY, Limit, Stage
from shared.domain.codes import Priority
from shared.refreshing import refresh_every

Policy = dict[Stage, dict[Priority, Limit]]


@dataclass(frozen=True)
class VersionedPolicy:
    version: int
    limits: Policy


def to_json(policy: Policy) -> dict[str, dict[str, dict[str, float]]]:
    return {
        stage.value: {
            priority.value: {"hours": limit.hours} if limit.hours else {"working_days": limit.working_days}
            for priority, limit in limits.items()
        }
        for stage, limits in policy.items()
    }


def from_json(document: dict) -> Policy:
    return {
        Stage(stage): {Priority(priority): Limit(**limit) for priority, limit in limits.items()}
        for stage, limits in document.items()
    }


async def current_policy(connection: asyncpg.Connection) -> VersionedPolicy:
    """The newest version; the domain defaults become version 1 the first time."""
    await connection.execute(
        "INSERT INTO deadline_policies (version, limits, created_by) VALUES (1, $1, 'defaults') "
        "ON CONFLICT (version) DO NOTHING",
        json.dumps(to_json(DEFAULT_POLICY)),
    )
    row = await connection.fetchrow("SELECT version, limits FROM deadline_policies ORDER BY version DESC LIMIT 1")
    return VersionedPolicy(row["version"], from_json(json.loads(row["limits"])))


async def limits_of_version(connection: asyncpg.Connection, version: int | None) -> Policy:
    """The limits a deadline was made under (the domain defaults for one made before versions existed)."""
    if version is None:
        return DEFAULT_POLICY
    limits = await connection.fetchval("SELECT limits FROM deadline_policies WHERE version = $1", version)
    return from_json(json.loads(limits))


async def add_version(connection: asyncpg.Connection, policy: Policy, actor: str) -> int:
    await connection.execute("LOCK TABLE deadline_policies IN EXCLUSIVE MODE")
    return await connection.fetchval(
        "INSERT INTO deadline_policies (version, limits, created_by) "
        "SELECT coalesce(max(version), 0) + 1, $1, $2 FROM deadline_policies RETURNING version",
        json.dumps(to_json(policy)),
        actor,
    )


class PolicyKeeper:
    def __init__(self) -> None:
        self.current = VersionedPolicy(0, DEFAULT_POLICY)

    async def refresh(self, pool: asyncpg.Pool) -> None:
        async with pool.acquire() as connection:
            self.current = await current_policy(connection)

    async def keep_fresh(self, pool: asyncpg.Pool, every: float = 60.0) -> None:
        await refresh_every(every, lambda: self.refresh(pool), "policy")
