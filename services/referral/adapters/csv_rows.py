"""Reading a directory's rows from a CSV file (stations, village child directors): each row as the model's entry,
checked by the model's own rules, or the problems of its line. No problem repeats a value from the file: it may
hold a name or a phone."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from shared.domain.problems import FieldProblem
from shared.http_errors import _describe as describe_error

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class LineProblem:
    line: int
    problem: FieldProblem

    def __str__(self) -> str:
        return f"line {self.line}, field {self.problem.field}: {self.problem.code} ({self.problem.message})"


def read_rows(csv_path: Path, model: type[M], key: str) -> tuple[list[tuple[int, M]], list[LineProblem]]:
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        return parse_rows(handle, model, key)


def parse_rows(lines: Iterable[str], model: type[M], key: str) -> tuple[list[tuple[int, M]], list[LineProblem]]:
    """Each row as an entry with its line number, and the problems of the rows that are not; `key` is the column
    no two rows may share."""
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    required = [name for name, field in model.model_fields.items() if field.is_required()]
    problems = [LineProblem(1, FieldProblem(c, "missing_column", "缺少这一列")) for c in required if c not in header]
    problems += [
        LineProblem(1, FieldProblem(c, "extra_forbidden", "不认识的字段"))
        for c in header
        if c not in model.model_fields
    ]
    if problems:
        return [], problems
    entries, seen = [], set()
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(LineProblem(line, FieldProblem("row", "too_many_values", "这一行的列数多于表头")))
            continue
        try:
            entry = model.model_validate({k: v for k, v in row.items() if v is not None}, strict=False)
        except ValidationError as error:
            problems += [LineProblem(line, describe_error(e)) for e in error.errors()]
            continue
        if getattr(entry, key) in seen:
            problems.append(LineProblem(line, FieldProblem(key, "duplicate_code", "代码在文件中重复")))
        seen.add(getattr(entry, key))
        entries.append((line, entry))
    return entries, problems
