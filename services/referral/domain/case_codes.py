"""The codes a station records on a referral: how it contacted the child, the guardianship it assessed
and the outcome it closed the referral with."""

from enum import StrEnum

from shared.domain.monitoring import Assessment
from shared.domain.outcomes import Outcome

__all__ = ["Assessment", "ContactMethod", "Outcome"]


class ContactMethod(StrEnum):
    PHONE = "phone"
    IN_PERSON = "in_person"
    OTHER = "other"
