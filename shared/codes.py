"""Codes of the domain taxonomy (see the domain brief): concerns, priorities, assignee kinds."""

from enum import StrEnum


class Concern(StrEnum):
    LACK_OF_GUARDIANSHIP = "lack_of_guardianship"
    GUARDIAN_ABUSE = "guardian_abuse"
    SEXUAL_ABUSE = "sexual_abuse"
    NEGLECT = "neglect"
    ABANDONMENT = "abandonment"
    MISSING = "missing"
    BULLYING = "bullying"
    TRAFFICKING = "trafficking"
    SELF_HARM = "self_harm"
    OUT_OF_SCHOOL = "out_of_school"
    HARDSHIP = "hardship"
    OTHER = "other"


class Priority(StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


class AssigneeKind(StrEnum):
    STATION = "station"
    COUNTY_CENTRE = "county_centre"
