"""The guardianship a station assesses, what each level sets going, the tasks a station hands to a village's child
director, and why monitoring ends. The clocks' lengths are notification's policy; which levels are monitored is
here, so that referral and notification agree."""

from enum import StrEnum


class Assessment(StrEnum):
    GOOD = "good"  # 良好: the case may close
    FAIR = "fair"  # 一般: a pairing helper within 10 working days, a follow-up visit every month
    POOR = "poor"  # 较差: a helper within 5 working days, a visit every two weeks, the county centre told
    DANGEROUS = "dangerous"  # 危险: the county centre decides on temporary guardianship at once, the police told


MONITORED_LEVELS = frozenset({Assessment.FAIR, Assessment.POOR, Assessment.DANGEROUS})
CENTRE_TOLD_LEVELS = frozenset({Assessment.POOR, Assessment.DANGEROUS})


class TaskKind(StrEnum):
    """What a station may hand to the child director of the child's village."""

    CONTACT = "contact"
    HOME_VISIT = "home_visit"
    FOLLOW_UP_VISIT = "follow_up_visit"


class MonitoringEnd(StrEnum):
    GOOD_ASSESSMENT = "good_assessment"  # a new assessment of 良好
    TURNED_18 = "turned_18"
    MOVED_AWAY = "moved_away"  # transferred to the new township's station
    GUARDIANSHIP = "guardianship"  # the county centre took the child into temporary guardianship


class MonitoringStep(StrEnum):
    """What an action's detail says of monitoring (`"monitoring"`): an assessment starts or continues it, and an
    assessment of 良好 or temporary guardianship ends it (the detail's `"reason"` is then a MonitoringEnd)."""

    STARTED = "started"
    CONTINUES = "continues"
    ENDED = "ended"
