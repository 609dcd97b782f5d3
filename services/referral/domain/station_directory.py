"""The stations directory: a station or county centre as an administrator enters it, and its rules.

Rules on one field are checked by the model; rules across fields and against the division tree are
in `station_problems`, a pure function shared by the admin API and the CSV import. How a station looks
in an answer is in entrypoints/http/stations_api.py.
"""

from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from shared.contacts import ContactName, Email, Name, Phone, WebhookUrl
from shared.domain.codes import AssigneeKind
from shared.domain.divisions import DivisionCode, DivisionLevel, county_of
from shared.domain.problems import FieldProblem

CODE_PATTERN = r"^[0-9]{6}([0-9]{3})?$"  # 6-digit county code of a centre, 9-digit township code of a station
DIVISION_LEVEL = {AssigneeKind.STATION: DivisionLevel.TOWNSHIP, AssigneeKind.COUNTY_CENTRE: DivisionLevel.COUNTY}


class StationFields(BaseModel):
    """Everything about a station but its code (which the admin API takes from the path)."""

    model_config = ConfigDict(extra="forbid")

    kind: AssigneeKind
    name: Name
    county_code: Annotated[str, Field(pattern=r"^[0-9]{6}$")]
    contact_name: ContactName = None
    phone: Phone = None
    sms_phone: Phone = None  # where SMS notices go
    email: Email = None
    webhook_url: WebhookUrl = None
    active: StrictBool = True  # JSON true or false; a CSV's text is read laxly


class StationIn(StationFields):
    code: Annotated[str, Field(pattern=CODE_PATTERN)]


def station_problems(station: StationIn, division_levels: Mapping[str, str] | None) -> list[FieldProblem]:
    """Rules across fields, and that the code is in the division tree at the kind's level.

    division_levels maps known codes to their level; None when no tree is loaded (the rule is then skipped).
    """
    kind = station.kind
    if DivisionCode(station.code).level is not DIVISION_LEVEL[kind]:
        message = "工作站须用9位乡镇代码" if kind == AssigneeKind.STATION else "救助保护中心须用6位县级代码"
        return [FieldProblem("code", "code_length_for_kind", message)]
    problems = []
    if station.county_code != county_of(station.code):
        message = "须为代码的前6位" if kind == AssigneeKind.STATION else "须与代码相同"
        problems.append(FieldProblem("county_code", "county_code_mismatch", message))
    if division_levels is not None:
        level = division_levels.get(station.code)
        if level is None:
            problems.append(FieldProblem("code", "unknown_division", "区划代码表中没有这个代码"))
        elif level != DIVISION_LEVEL[kind]:
            message = "须为乡镇级区划代码" if kind == AssigneeKind.STATION else "须为县级区划代码"
            problems.append(FieldProblem("code", "division_level", message))
    return problems
