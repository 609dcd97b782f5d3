"""What is left of a report once its case has been closed longer than the personal-data retention (README,
Retention): the facts the committee's figures need (the child's age on the report's day, gender, status,
where the child lived by division code, the concerns), never who the child or the reporter is, nor the free
text, which may name them. The same rule in intake and referral."""

from datetime import date
from typing import Any

from shared.domain.ages import AgeFacts, child_age

REMOVED_TEXT = "（保存期满，已匿名化）"
KEPT_CHILD_FACTS = ("gender", "division_code", "hukou_division_code", "status")
KEPT_REPORTER_FACTS = ("mandatory_reporter", "institution_type", "anonymous", "consents_to_share_identity")


def anonymised_child(child: dict[str, Any], report_day: date) -> dict[str, Any]:
    """The child's record without name, ID number, birth date or addresses; the age on the report's day stays."""
    facts = AgeFacts(
        id_number=child.get("id_number"),
        birth_date=_day(child.get("birth_date")),
        age=child.get("age") if isinstance(child.get("age"), int) else None,
    )
    kept = {name: child[name] for name in KEPT_CHILD_FACTS if name in child}
    return kept | {"age": child_age(facts, report_day)}


def anonymised_reporter(reporter: dict[str, Any]) -> dict[str, Any]:
    """The reporter's facts without the institution's name (a small school names its teacher)."""
    return {name: reporter[name] for name in KEPT_REPORTER_FACTS if name in reporter}


def anonymised_report(report: dict[str, Any], report_day: date) -> dict[str, Any]:
    """A ReportReceived as referral keeps it, anonymised: no shared reporter identity, no narrative."""
    return report | {
        "child": anonymised_child(report.get("child") or {}, report_day),
        "reporter": anonymised_reporter(report.get("reporter") or {}),
        "reporter_identity": None,
        "narrative": REMOVED_TEXT,
    }


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
