import pytest

from services.referral.domain.triage import TriagePolicy, triage
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
    result = triage(concerns, danger, mandatory, age)
    assert (result.priority, result.police_required) == (priority, police)


def test_the_age_limit_for_urgent_abuse_is_a_policy_setting():
    policy = TriagePolicy(abuse_is_urgent_below_age=10)
    assert triage({C.GUARDIAN_ABUSE}, False, False, 8, policy).priority is P.P1
