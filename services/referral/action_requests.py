"""Bodies of the station and centre actions. Notes are free text kept in the history, never in events."""

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from shared.domain.codes import Priority
from shared.events import utcnow

CLOCK_SKEW = timedelta(minutes=5)
Notes = Field(default=None, max_length=2000)


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


class ActionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Happened(ActionBody):
    """An action that happened at a time the station states (now, if it does not)."""

    at: AwareDatetime | None = None
    notes: str | None = Notes

    @field_validator("at")
    @classmethod
    def _not_in_future(cls, value: datetime | None) -> datetime | None:
        if value is not None and value > utcnow() + CLOCK_SKEW:
            raise PydanticCustomError("in_future", "不能晚于当前时间")
        return value


class Acknowledge(ActionBody):
    notes: str | None = Notes


class Contact(Happened):
    method: ContactMethod


class HomeVisit(Happened):
    pass


class GuardianshipAssessment(Happened):
    level: Assessment


class PoliceNotified(Happened):
    pass


class Decline(ActionBody):
    reason: str = Field(min_length=2, max_length=500)
    suggested_division_code: str = Field(pattern=r"^[0-9]{9}([0-9]{3})?$")


class Reassign(ActionBody):
    division_code: str = Field(pattern=r"^[0-9]{6}([0-9]{3})?([0-9]{3})?$")
    reason: str = Field(min_length=2, max_length=500)


class ChangePriority(ActionBody):
    priority: Priority
    reason: str = Field(min_length=2, max_length=500)


class Close(ActionBody):
    outcome: Outcome
    notes: str | None = Notes
