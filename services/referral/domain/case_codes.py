"""The codes a station records on a referral: how it contacted the child, the guardianship it assessed
and the outcome it closed the referral with."""

from enum import StrEnum


class ContactMethod(StrEnum):
    PHONE = "phone"
    IN_PERSON = "in_person"
    OTHER = "other"


class Assessment(StrEnum):
    GOOD = "good"  # 良好
    FAIR = "fair"  # 一般
    POOR = "poor"  # 较差
    DANGEROUS = "dangerous"  # 危险


class Outcome(StrEnum):
    RESOLVED = "resolved"  # 问题已解决
    SERVICES_ARRANGED = "services_arranged"  # 已链接帮扶服务
    TEMPORARY_GUARDIANSHIP = "temporary_guardianship"  # 临时监护
    NO_RISK_FOUND = "no_risk_found"  # 核实无风险
    CHILD_NOT_FOUND = "child_not_found"  # 未找到儿童
    HANDED_TO_POLICE = "handed_to_police"  # 移交公安
