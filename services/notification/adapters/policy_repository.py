"""The versions of the deadline policy in PostgreSQL."""

import json

import asyncpg

from services.notification.domain.deadlines import DEFAULT_POLICY, Policy
from services.notification.domain.policy import VersionedPolicy, from_document, to_document


class PolicyRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def current(self) -> VersionedPolicy:
        """The newest version; the domain defaults become version 1 the first time."""
        await self._connection.execute(
            "INSERT INTO deadline_policies (version, limits, created_by) VALUES (1, $1, 'defaults') "
            "ON CONFLICT (version) DO NOTHING",
            json.dumps(to_document(DEFAULT_POLICY)),
        )
        row = await self._connection.fetchrow(
            "SELECT version, limits FROM deadline_policies ORDER BY version DESC LIMIT 1"
        )
        return VersionedPolicy(row["version"], from_document(json.loads(row["limits"])))

    async def version(self, version: int) -> Policy | None:
        limits = await self._connection.fetchval("SELECT limits FROM deadline_policies WHERE version = $1", version)
        return None if limits is None else from_document(json.loads(limits))

    async def limits_of_version(self, version: int | None) -> Policy:
        """The limits a deadline was made under (the domain defaults for one made before versions existed)."""
        if version is None:
            return DEFAULT_POLICY
        return await self.version(version)

    async def add_version(self, policy: Policy, actor: str) -> int:
        await self._connection.execute("LOCK TABLE deadline_policies IN EXCLUSIVE MODE")
        return await self._connection.fetchval(
            "INSERT INTO deadline_policies (version, limits, created_by) "
            "SELECT coalesce(max(version), 0) + 1, $1, $2 FROM deadline_policies RETURNING version",
            json.dumps(to_document(policy)),
            actor,
        )
