"""Whether a report's division codes are in the gazetteer, on intake's own table of them.

While the table is empty (never loaded) a report that gives a code is answered 503, not accepted: accepted, it
would wait unrouted if the code were wrong, and refused as a bad field, a correct report would be dropped by a
caller who believes it. A 503 is retried, and /health/ready warns the administrator until the table is loaded.
"""

from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from services.intake.adapters import known_divisions
from services.intake.domain.report_rules import division_codes, division_problems
from shared.domain.problems import FieldProblem, FieldProblems, NotReady
from shared.events import ReportedChild

NOT_LOADED = "区划代码表尚未载入，暂时无法接收带区划代码的报告，请稍后重试"
WARNING = "known_divisions is empty: reports with a division code are answered 503 until load_divisions runs"


@dataclass
class DivisionCheck:
    pool_of: Callable[[], asyncpg.Pool]
    loaded: bool | None = None  # as last seen; None until start-up looked

    async def look(self) -> None:
        async with self.pool_of().acquire() as connection:
            self.loaded = await known_divisions.is_loaded(connection)

    async def check(self, connection: asyncpg.Connection, child: ReportedChild) -> None:
        [problems] = await self.problems_of_each(connection, [child])
        if problems:
            raise FieldProblems(problems)

    async def problems_of_each(
        self, connection: asyncpg.Connection, children: list[ReportedChild]
    ) -> list[list[FieldProblem]]:
        """Each child's problems with its codes, in order, from one look-up for all of them."""
        codes = sorted({code for child in children for code in division_codes(child).values()})
        if not codes:
            return [[] for _ in children]
        known = await known_divisions.known_codes(connection, codes)
        self.loaded = known is not None
        if known is None:
            raise NotReady(NOT_LOADED)
        return [division_problems(child, known) for child in children]

    def warning(self) -> str | None:
        return WARNING if self.loaded is False else None
