"""The report as a hotline operator or the 12345 platform submits it."""

from pydantic import BaseModel, ConfigDict, Field

from shared.codes import Concern


class ChildIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    division_code: str | None = Field(None, pattern=r"^\d{9}(\d{3})?$", description="9 or 12 digits")
    address: str | None = Field(None, max_length=500)
    age: int | None = Field(None, ge=0, le=17)


class ReporterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mandatory_reporter: bool = False


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    child: ChildIn
    concerns: list[Concern] = Field(min_length=1)
    narrative: str = Field(min_length=1, max_length=10_000)
    immediate_danger: bool = False
    reporter: ReporterIn = ReporterIn()


class ReportAccepted(BaseModel):
    report_id: str
