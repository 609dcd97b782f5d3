"""The rows of reference/division_aliases.csv, checked against the gazetteer before they are loaded: each
names a township the gazetteer knows, by a name no live township of its county has, with a known kind."""

from collections.abc import Mapping
from enum import StrEnum

from services.referral.domain.gazetteer import normalise
from shared.domain.divisions import DivisionLevel


class AliasKind(StrEnum):
    RENAMED = "renamed"
    MERGED = "merged"
    DEVELOPMENT_ZONE = "development_zone"


def alias_problems(rows: list[dict[str, str]], levels: Mapping[str, str], names: set[str]) -> list[str]:
    """One line per bad row ("line 3: ..."); `levels` holds the level of each known target code, `names` the
    names of the townships in the targets' counties (an alias equal to one would shadow a live township)."""
    problems = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        alias = normalise(row.get("alias") or "")
        target, kind = ((row.get(column) or "").strip() for column in ("target_code", "kind"))
        if not alias:
            problems.append(f"line {line}: alias is empty")
        elif alias in seen:
            problems.append(f"line {line}: alias {alias} is given twice")
        elif alias in names:
            problems.append(f"line {line}: alias {alias} is already the name of a township of its county")
        seen.add(alias)
        if levels.get(target) != DivisionLevel.TOWNSHIP:
            problems.append(f"line {line}: target_code {target or '(empty)'} is not a township of the gazetteer")
        if kind not in AliasKind.__members__.values():
            problems.append(f"line {line}: kind {kind or '(empty)'} is not one of {', '.join(AliasKind)}")
    return problems
