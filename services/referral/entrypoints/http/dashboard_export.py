"""The committee's figures as files people open in Excel: CSV (UTF-8 with a byte-order mark) and .xlsx, with
Chinese headers, rates as percentages and times in hours to one decimal. Counts and times only."""

import csv
import io
from collections.abc import Callable
from enum import StrEnum

from openpyxl import Workbook
from openpyxl.styles import Font

from services.referral.domain.area_figures import PLACE_LABELS, PlaceLevel, share


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"
    RATE = "rate"
    HOURS = "hours"


def _place(row: dict) -> str:
    return PLACE_LABELS.get(row["level"]) or row["township_name"] or row["township"]


def _field(name: str) -> Callable[[dict], object]:
    return lambda row: row[name]


COLUMNS: list[tuple[str, Kind, Callable[[dict], object]]] = [
    ("县（区）", Kind.TEXT, lambda row: row["county_name"] or row["county"]),
    ("乡镇（街道）/承办单位", Kind.TEXT, _place),
    ("在办", Kind.COUNT, _field("open")),
    ("在办P1", Kind.COUNT, _field("open_p1")),
    ("待分派", Kind.COUNT, _field("unrouted")),
    ("期间新增", Kind.COUNT, _field("received")),
    ("期间签收率", Kind.RATE, lambda row: share(row["acknowledged"], row["received"])),
    ("重复报告", Kind.COUNT, _field("repeat_reports")),
    ("退回", Kind.COUNT, _field("declines")),
    ("监护监测中（一般）", Kind.COUNT, _field("monitoring_fair")),
    ("监护监测中（较差）", Kind.COUNT, _field("monitoring_poor")),
    ("监护监测中（危险）", Kind.COUNT, _field("monitoring_dangerous")),
    ("临时监护中", Kind.COUNT, _field("in_guardianship")),
    ("签收用时中位数（小时）", Kind.HOURS, _field("acknowledge_hours_p50")),
    ("签收用时P90（小时）", Kind.HOURS, _field("acknowledge_hours_p90")),
    ("入户走访用时中位数（小时）", Kind.HOURS, _field("home_visit_hours_p50")),
    ("入户走访用时P90（小时）", Kind.HOURS, _field("home_visit_hours_p90")),
    ("区划代码", Kind.TEXT, lambda row: row["township"] or row["county"]),
]
HEADERS = [header for header, _, _ in COLUMNS]
NUMBER_FORMATS = {Kind.RATE: "0.0%", Kind.HOURS: "0.0", Kind.COUNT: "0"}
SHEETS = [("各县（区）", {PlaceLevel.COUNTY}), ("乡镇（街道）", {PlaceLevel.CENTRE, PlaceLevel.TOWNSHIP})]


def written(kind: Kind, value: object) -> str:
    """A value as the CSV shows it: blank when there is none, 87.5% for a rate, 12.5 for hours."""
    if value is None:
        return ""
    if kind is Kind.RATE:
        return f"{float(value) * 100:.1f}%"
    if kind is Kind.HOURS:
        return f"{float(value):.1f}"
    return str(value)


def as_csv(places: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in places:
        writer.writerow([written(kind, value(row)) for _, kind, value in COLUMNS])
    return "\ufeff" + out.getvalue()  # the byte-order mark makes Excel read the Chinese as UTF-8


def as_xlsx(places: list[dict]) -> bytes:
    """A sheet per level: the counties' totals, then the centres and townships."""
    book = Workbook()
    book.remove(book.active)
    for title, levels in SHEETS:
        sheet = book.create_sheet(title)
        sheet.append(HEADERS)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in (place for place in places if place["level"] in levels):
            sheet.append([value(row) for _, _, value in COLUMNS])
        for index, (header, kind, _) in enumerate(COLUMNS, start=1):
            column = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[column].width = max(10, len(header) * 2 + 2)
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = NUMBER_FORMATS.get(kind, "@")
        sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
