"""What is left of a report after its retention: the figures' facts, never who the child or reporter is."""

from datetime import date

from shared.domain.anonymisation import REMOVED_TEXT, anonymised_child, anonymised_report

CHILD = {
    "name": "张小明",
    "gender": "male",
    "id_number": "14072420180315001X",
    "birth_date": "2018-03-15",
    "age": 9,
    "address": "大寨镇大寨村3号",
    "hukou_address": "河北省某县",
    "division_code": "140724104",
    "hukou_division_code": "130102",
    "status": ["left_behind"],
}


def test_the_child_keeps_the_age_on_the_report_day_and_places_by_code_only():
    left = anonymised_child(CHILD, date(2026, 3, 14))
    assert left == {
        "gender": "male",
        "division_code": "140724104",
        "hukou_division_code": "130102",
        "status": ["left_behind"],
        "age": 7,  # from the ID number's birth date, the most reliable fact, the day before the birthday
    }


def test_an_age_said_is_kept_when_nothing_else_is_given_and_nonsense_is_dropped():
    assert anonymised_child({"age": 12, "name": "李"}, date(2026, 1, 1)) == {"age": 12}
    assert anonymised_child({"age": "12", "birth_date": "not a date"}, date(2026, 1, 1)) == {"age": None}


def test_the_report_loses_its_narrative_and_the_shared_reporter_identity():
    report = {
        "report_id": "r1",
        "concerns": ["neglect"],
        "child": CHILD,
        "reporter": {"mandatory_reporter": True, "institution_type": "school", "institution_name": "大寨小学"},
        "reporter_identity": {"name": "王老师", "phone": "13900000000"},
        "narrative": "张小明的父亲长期外出……",
    }
    left = anonymised_report(report, date(2026, 3, 20))
    assert left["narrative"] == REMOVED_TEXT and left["reporter_identity"] is None
    assert left["reporter"] == {"mandatory_reporter": True, "institution_type": "school"}
    assert left["concerns"] == ["neglect"] and left["child"]["age"] == 8
    assert "张小明" not in str(left) and "大寨小学" not in str(left) and "1390000" not in str(left)
