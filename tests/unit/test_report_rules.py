from datetime import UTC, datetime, timedelta

import pytest

from services.intake.domain.report_rules import division_problems, report_problems
from services.intake.entrypoints.http.report_request import ReportIn
from tests.factories import VALID_CHILD_ID, report_body

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def problems(received_at: datetime, now: datetime = NOW, **overrides) -> list[str]:
    report = ReportIn.model_validate(report_body(**overrides)).to_report()
    return [problem.code for problem in report_problems(report, received_at, now)]


def test_age_is_taken_on_the_report_date_not_today():
    turned_18_in_june = {"birth_date": "2008-06-01"}
    may_31, june_1 = datetime(2026, 5, 31, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)
    assert problems(may_31, now=may_31, child=turned_18_in_june) == []
    assert problems(june_1, now=june_1, child=turned_18_in_june) == ["not_a_minor"]


def test_the_report_day_is_the_day_in_china():
    eve_of_18th_birthday_utc = datetime(2026, 5, 31, 17, 0, tzinfo=UTC)  # 1 June, 01:00 in China
    child = {"birth_date": "2008-06-01"}
    assert problems(eve_of_18th_birthday_utc, now=eve_of_18th_birthday_utc, child=child) == ["not_a_minor"]


def test_a_few_minutes_of_clock_skew_are_tolerated():
    assert problems(datetime(2026, 11, 23, 8, 4, tzinfo=UTC)) == []
    assert problems(datetime(2026, 11, 23, 8, 6, tzinfo=UTC)) == ["future_date"]


def test_a_call_older_than_the_setting_is_refused():
    assert problems(NOW - timedelta(days=29)) == []
    assert problems(NOW - timedelta(days=31)) == ["received_too_long_ago"]
    report = ReportIn.model_validate(report_body()).to_report()
    assert report_problems(report, NOW - timedelta(days=31), NOW, oldest=timedelta(days=60)) == []


@pytest.mark.parametrize(
    ("child", "codes"),
    [
        ({"age": 11, "birth_date": "2015-03-15"}, []),  # exact, on 23 November 2026
        ({"age": 12, "birth_date": "2015-03-15"}, []),  # 虚岁, one above
        ({"age": 13, "birth_date": "2015-03-15"}, ["age_mismatch"]),
        ({"age": 10, "birth_date": "2015-03-15"}, ["age_mismatch"]),
        ({"age": 7, "id_number": VALID_CHILD_ID}, ["age_mismatch"]),
        ({"age": 11, "id_number": VALID_CHILD_ID}, []),
        ({"age": 3}, []),  # nothing to contradict
    ],
)
def test_an_age_must_agree_with_the_birth_date(child, codes):
    assert problems(NOW, child=child) == codes


def test_division_codes_must_be_known():
    body = report_body(child={"division_code": "140724104", "hukou_division_code": "999999999"})
    child = ReportIn.model_validate(body).to_report().child
    [problem] = division_problems(child, known={"140724104"})
    assert (problem.field, problem.code) == ("child.hukou_division_code", "unknown_division")
    assert division_problems(child, known={"140724104", "999999999"}) == []


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
