"""Reading stations and centres from a CSV file (columns: code, kind, name, county_code, and optionally
contact_name, phone, sms_phone, email, webhook_url, active): each row as a station entry, checked by the
entry's own rules, or the problems of its line."""

from collections.abc import Iterable
from pathlib import Path

from services.referral.adapters.csv_rows import LineProblem, parse_rows, read_rows
from services.referral.domain.station_directory import StationIn

__all__ = ["LineProblem", "parse_stations", "read_stations"]


def read_stations(csv_path: Path) -> tuple[list[tuple[int, StationIn]], list[LineProblem]]:
    return read_rows(csv_path, StationIn, "code")


def parse_stations(lines: Iterable[str]) -> tuple[list[tuple[int, StationIn]], list[LineProblem]]:
    """Each row as a station with its line number, and the problems of the rows that are not."""
    return parse_rows(lines, StationIn, "code")
