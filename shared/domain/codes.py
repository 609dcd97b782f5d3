"""Codes of the domain taxonomy (see the domain brief): concerns, priorities, who holds a referral, and what a
report says of its channel, child and reporter."""

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

    @property
    def label(self) -> str:
        return _CONCERN_LABELS[self.value]


_CONCERN_LABELS = {
    "lack_of_guardianship": "监护缺失",
    "guardian_abuse": "监护侵害/家庭暴力",
    "sexual_abuse": "性侵害",
    "neglect": "忽视",
    "abandonment": "遗弃",
    "missing": "走失/失踪",
    "bullying": "欺凌",
    "trafficking": "拐卖",
    "self_harm": "心理危机/自伤",
    "out_of_school": "失学辍学",
    "hardship": "生活困难",
    "other": "其他",
}


class Priority(StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


class AssigneeKind(StrEnum):
    STATION = "station"
    COUNTY_CENTRE = "county_centre"


class Channel(StrEnum):
    """How a report reached the hotline."""

    PHONE = "phone"
    WEB = "web"
    APP = "app"
    WALK_IN = "walk_in"
    INSTITUTION = "institution"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class ChildStatus(StrEnum):
    ORPHAN = "orphan"
    DE_FACTO_UNSUPPORTED = "de_facto_unsupported"
    LEFT_BEHIND = "left_behind"
    IN_DIFFICULTY = "in_difficulty"
    MIGRANT = "migrant"
    DISABLED = "disabled"


class InstitutionType(StrEnum):
    SCHOOL = "school"
    KINDERGARTEN = "kindergarten"
    HOSPITAL = "hospital"
    HOTEL = "hotel"
    TRAINING_CENTRE = "training_centre"
    CARE_INSTITUTION = "care_institution"
    SOCIAL_WORK = "social_work"
    INTERNET_CAFE = "internet_cafe"
    RESIDENTS_COMMITTEE = "residents_committee"
    OTHER = "other"


class StuckReason(StrEnum):
    """Why an accepted report went no further (intake follows each report to its referral)."""

    DEAD_LETTERED = "dead_lettered"  # an event about it was set aside in a dead-letter topic
    NO_REFERRAL = "no_referral"  # no referral came of it within the set time


class Satisfaction(StrEnum):
    """What the reporter said when the hotline called back (回访)."""

    SATISFIED = "satisfied"  # 满意
    FAIRLY_SATISFIED = "fairly_satisfied"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意

    @property
    def label(self) -> str:
        return {"satisfied": "满意", "fairly_satisfied": "基本满意", "dissatisfied": "不满意"}[self.value]


class Milestone(StrEnum):
    """The steps of a case that the 12345 platform's work order and the reporter's receipt are told of."""

    RECEIVED = "received"  # 已受理
    ACKNOWLEDGED = "acknowledged"  # 已签收, being handled
    CLOSED = "closed"  # 已办结
    REOPENED = "reopened"  # 重新办理 after a dissatisfied callback
