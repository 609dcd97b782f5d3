"""PostgreSQL reads of the division tree, for the operator's division picker."""

import asyncpg


class DivisionTree:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def provinces(self) -> list[dict]:
        rows = await self.connection.fetch(
            "SELECT code, name, level FROM divisions WHERE parent_code IS NULL ORDER BY code"
        )
        return [dict(row) for row in rows]

    async def children(self, code: str) -> list[dict]:
        rows = await self.connection.fetch(
            "SELECT code, name, level FROM divisions WHERE parent_code = $1 ORDER BY code", code
        )
        return [dict(row) for row in rows]

    async def exists(self, code: str) -> bool:
        return bool(await self.connection.fetchval("SELECT true FROM divisions WHERE code = $1", code))
