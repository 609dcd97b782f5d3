"""The report as a hotline operator or the 12345 platform submits it, with its field rules.

Rules on one field are checked here, all at once; rules across fields are in `domain/report_rules.py`.
JSON types are strict (no "5" for a number, no 1 for true, no number for a date), every text is bounded and
holds no control characters: what is accepted here, every service after intake can carry.
"""

import hashlib
import unicodedata
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt
from pydantic_core import PydanticCustomError

from services.intake.domain.report import Report
from services.intake.domain.reporter_identity import ReporterIdentity
from shared.contacts import checked_phone
from shared.domain.codes import Channel, ChildStatus, Concern, Gender, InstitutionType
from shared.domain.moments import PastMoment
from shared.domain.text import from_text, storable_text
from shared.events import ReportedChild, ReporterFacts
from shared.identifiers import id_number_problem, normalise_id_number, normalise_phone


def _checked_id_number(value: str) -> str:
    problem = id_number_problem(value)
    if problem is not None:
        raise PydanticCustomError(problem, "身份证号码不正确（18位，末位校验码须正确）")
    return value


def _no_duplicates(values: list) -> list:
    if len(set(values)) != len(values):
        raise PydanticCustomError("duplicate_codes", "有重复的选项")
    return values


def _stripped(value: object) -> object:
    return value.strip() or None if isinstance(value, str) else value


IdNumber = Annotated[
    str,
    Field(max_length=40),
    BeforeValidator(lambda v: normalise_id_number(v) if isinstance(v, str) else v),
    AfterValidator(_checked_id_number),
]
Phone = Annotated[
    str,
    Field(max_length=40),
    BeforeValidator(lambda v: normalise_phone(v) if isinstance(v, str) else v),
    AfterValidator(checked_phone),
]
DivisionCodeText = Annotated[
    str,
    BeforeValidator(lambda v: unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else v),
    Field(pattern=r"^[0-9]{9}([0-9]{3})?$", description="9-digit township or 12-digit village"),
]


def bounded_text(max_length: int) -> object:
    """Optional text of at most max_length characters; blank counts as absent."""
    return Annotated[storable_text(max_length) | None, BeforeValidator(_stripped)]


Name = bounded_text(50)
Address = bounded_text(200)


class ReporterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name = None
    phone: Phone | None = None
    relation: bounded_text(50) = None
    mandatory_reporter: StrictBool = False
    institution_type: InstitutionType | None = None
    institution_name: bounded_text(100) = None
    anonymous: StrictBool = False
    consents_to_share_identity: StrictBool = False


class ChildIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name = None
    gender: Gender | None = None
    age: Annotated[StrictInt, Field(ge=0, le=17)] | None = None
    birth_date: from_text(date) | None = None
    id_number: IdNumber | None = None
    address: Address = None
    division_code: DivisionCodeText | None = None
    hukou_address: Address = None
    hukou_division_code: DivisionCodeText | None = None
    status: Annotated[list[ChildStatus], AfterValidator(_no_duplicates)] = []


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hotline_ticket_id: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{1,40}$", description="12345 work order")
    received_at: from_text(PastMoment) | None = Field(
        None, description="when the call came in, China time unless the zone is given; defaults to now"
    )
    channel: Channel = Channel.PHONE
    reporter: ReporterIn = ReporterIn()
    child: ChildIn
    concerns: Annotated[list[Concern], Field(min_length=1), AfterValidator(_no_duplicates)]
    immediate_danger: StrictBool = False
    narrative: storable_text(10_000, min_length=1)

    def fingerprint(self) -> str:
        """What a retry under the same Idempotency-Key or 12345 ticket must repeat."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    def to_report(self) -> Report:
        reporter = self.reporter
        return Report(
            hotline_ticket_id=self.hotline_ticket_id,
            received_at=self.received_at,
            channel=self.channel,
            child=ReportedChild(**self.child.model_dump()),
            concerns=self.concerns,
            immediate_danger=self.immediate_danger,
            narrative=self.narrative,
            reporter=ReporterFacts(
                mandatory_reporter=reporter.mandatory_reporter,
                institution_type=reporter.institution_type,
                anonymous=reporter.anonymous,
            ),
            identity=ReporterIdentity(
                name=reporter.name,
                phone=reporter.phone,
                relation=reporter.relation,
                institution_name=reporter.institution_name,
            ),
            identity_shared=reporter.consents_to_share_identity,
        )
