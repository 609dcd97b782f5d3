from datetime import UTC, datetime

from services.intake.domain.report_rules import report_problems
from services.intake.entrypoints.http.report_request import ReportIn
from tests.factories import report_body

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def problems(received_at: datetime, **overrides) -> list[str]:
    report = ReportIn.model_validate(report_body(**overrides)).to_report()
    return [problem.code for problem in report_problems(report, received_at, NOW)]


def test_age_is_taken_on_the_report_date_not_today():
    turned_18_in_june = {"birth_date": "2008-06-01"}
    assert problems(datetime(2026, 5, 31, tzinfo=UTC), child=turned_18_in_june) == []
    assert problems(datetime(2026, 6, 1, tzinfo=UTC), child=turned_18_in_june) == ["not_a_minor"]


def test_a_few_minutes_of_clock_skew_are_tolerated():
    assert problems(datetime(2026, 11, 23, 8, 4, tzinfo=UTC)) == []
    assert problems(datetime(2026, 11, 23, 8, 6, tzinfo=UTC)) == ["future_date"]


def test_a_complete_valid_report_has_no_problems():
    body = {
        "child": {
            "name": "王小花",
            "gender": "female",
            "birth_date": "2015-03-15",
            "id_number": "140724201503150029",
            "division_code": "140724104201",
            "status": ["left_behind"],
        },
        "reporter": {
            "name": "李老师",
            "phone": "13800138000",
            "mandatory_reporter": True,
            "institution_type": "school",
        },
    }
    assert problems(NOW, **body) == []
