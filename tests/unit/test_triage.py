from datetime import date

import pytest

from services.referral.domain.triage import TriagePolicy, triage
from shared.domain.ages import AgeFacts, age_agrees, child_age
from shared.domain.codes import Concern as C
from shared.domain.codes import Priority as P

CASES = [
    # concerns, immediate danger, mandatory report, age -> priority, police required
    ({C.HARDSHIP}, False, False, 10, P.P3, False),
    ({C.OUT_OF_SCHOOL, C.OTHER}, False, False, None, P.P3, False),
    ({C.HARDSHIP}, True, False, 10, P.P1, True),
    ({C.HARDSHIP}, False, True, 10, P.P2, False),
    ({C.NEGLECT}, False, False, 12, P.P2, False),
    ({C.LACK_OF_GUARDIANSHIP}, False, False, 8, P.P2, False),
    ({C.BULLYING}, False, False, 14, P.P2, False),
    ({C.GUARDIAN_ABUSE}, False, False, 8, P.P2, True),
    ({C.GUARDIAN_ABUSE}, False, False, 5, P.P1, True),
    ({C.GUARDIAN_ABUSE}, False, False, 6, P.P2, True),
    ({C.GUARDIAN_ABUSE}, False, False, None, P.P2, True),
    ({C.SEXUAL_ABUSE}, False, False, 15, P.P1, True),
    ({C.TRAFFICKING}, False, False, 3, P.P1, True),
    ({C.MISSING}, False, False, 9, P.P1, True),
    ({C.ABANDONMENT}, False, False, 0, P.P1, True),
    ({C.SELF_HARM}, False, False, 16, P.P1, False),
    ({C.SELF_HARM, C.HARDSHIP}, False, True, 16, P.P1, False),
]


@pytest.mark.parametrize(("concerns", "danger", "mandatory", "age", "priority", "police"), CASES)
def test_triage_follows_the_default_rules(concerns, danger, mandatory, age, priority, police):
    result = triage(concerns, danger, mandatory, AgeFacts(age=age), REPORT_DAY)
    assert (result.priority, result.police_required) == (priority, police)


def test_the_age_limit_for_urgent_abuse_is_a_policy_setting():
    policy = TriagePolicy(abuse_is_urgent_below_age=10)
    assert triage({C.GUARDIAN_ABUSE}, False, False, AgeFacts(age=8), REPORT_DAY, policy).priority is P.P1


# 140724 (昔阳县), born 2023-06-15: 3 years old on the report day.
THREE_YEAR_OLD_ID = "140724202306150024"
REPORT_DAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    "facts",
    [
        AgeFacts(id_number=THREE_YEAR_OLD_ID),
        AgeFacts(birth_date=date(2023, 6, 15)),
        AgeFacts(age=3),
        AgeFacts(id_number=THREE_YEAR_OLD_ID, age=4),  # the traditional age (虚岁) said beside the ID number
        AgeFacts(birth_date=date(2020, 12, 3), age=7),  # 5 until tomorrow, whatever was said
    ],
    ids=["id number", "birth date", "age", "id number and 虚岁", "birth date before a birthday"],
)
def test_a_young_child_abused_is_urgent_whichever_fact_gives_the_age(facts):
    assert triage({C.GUARDIAN_ABUSE}, False, False, facts, REPORT_DAY).priority is P.P1


def test_the_id_number_outweighs_an_age_said():
    facts = AgeFacts(id_number=THREE_YEAR_OLD_ID, birth_date=date(2023, 6, 15), age=9)
    assert child_age(facts, REPORT_DAY) == 3
    assert triage({C.GUARDIAN_ABUSE}, False, False, AgeFacts(age=9), REPORT_DAY).priority is P.P2


def test_the_age_is_taken_on_the_report_day():
    facts = AgeFacts(birth_date=date(2020, 12, 3))
    assert (child_age(facts, date(2026, 12, 2)), child_age(facts, date(2026, 12, 3))) == (5, 6)
    assert triage({C.GUARDIAN_ABUSE}, False, False, facts, date(2026, 12, 3)).priority is P.P2


def test_the_age_said_agrees_with_the_exact_age_or_one_more():
    assert [age_agrees(said, 5) for said in (4, 5, 6, 7)] == [False, True, True, False]
