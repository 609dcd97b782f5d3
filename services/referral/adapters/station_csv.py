"""Reading stations and centres from a CSV file (columns: code, kind, name, county_code, and optionally
contact_name, phone, sms_phone, email, webhook_url, active): each row as a station entry, checked by the
entry's own rules, or the problems of its line."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from services.referral.domain.station_directory import StationIn
from shared.domain.problems import FieldProblem
from shared.http_errors import _describe as describe_error

REQUIRED_COLUMNS = [name for name, field in StationIn.model_fields.items() if field.is_required()]


@dataclass(frozen=True)
class LineProblem:
    line: int
    problem: FieldProblem

    def __str__(self) -> str:  # no value from the file: it may hold a name or a phone
        return f"line {self.line}, field {self.problem.field}: {self.problem.code} ({self.problem.message})"


def read_stations(csv_path: Path) -> tuple[list[tuple[int, StationIn]], list[LineProblem]]:
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        return parse_stations(handle)


def parse_stations(lines: Iterable[str]) -> tuple[list[tuple[int, StationIn]], list[LineProblem]]:
    """Each row as a station with its line number, and the problems of the rows that are not."""
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    problems = [
        LineProblem(1, FieldProblem(c, "missing_column", "缺少这一列")) for c in REQUIRED_COLUMNS if c not in header
    ]
    problems += [
        LineProblem(1, FieldProblem(c, "extra_forbidden", "不认识的字段"))
        for c in header
        if c not in StationIn.model_fields
    ]
    if problems:
        return [], problems
    stations, seen = [], set()
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(LineProblem(line, FieldProblem("row", "too_many_values", "这一行的列数多于表头")))
            continue
        try:
            station = StationIn.model_validate({k: v for k, v in row.items() if v is not None})
        except ValidationError as error:
            problems += [LineProblem(line, describe_error(e)) for e in error.errors()]
            continue
        if station.code in seen:
            problems.append(LineProblem(line, FieldProblem("code", "duplicate_code", "代码在文件中重复")))
        seen.add(station.code)
        stations.append((line, station))
    return stations, problems
