"""The directory of village child directors (村(居)儿童主任): a director as an administrator enters one, and the
rule against the division tree, shared by the admin API and the CSV import."""

from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from shared.contacts import PersonName, Phone
from shared.domain.access import Principal, Role
from shared.domain.divisions import DivisionLevel
from shared.domain.problems import FieldProblem, NotFound

VILLAGE_CODE_PATTERN = r"^[0-9]{12}$"


class DirectorFields(BaseModel):
    """Everything about a director but the village (which the admin API takes from the path)."""

    model_config = ConfigDict(extra="forbid")

    name: PersonName
    phone: Phone = None
    active: StrictBool = True  # JSON true or false; a CSV's text is read laxly


class DirectorIn(DirectorFields):
    village_code: Annotated[str, Field(pattern=VILLAGE_CODE_PATTERN)]


def director_problems(director: DirectorIn, division_levels: Mapping[str, str] | None) -> list[FieldProblem]:
    """The village must be a village of the division tree; division_levels maps the known codes to their level
    (None when no tree is loaded: nothing can be checked, so nothing is taken)."""
    level = (division_levels or {}).get(director.village_code)
    if level is None:
        return [FieldProblem("village_code", "unknown_village", "区划代码表中没有这个村（社区）")]
    if level != DivisionLevel.VILLAGE:
        return [FieldProblem("village_code", "division_level", "须为12位村（社区）代码")]
    return []


def listing_for(caller: Principal, township: str | None) -> tuple[str | None, bool]:
    """Which township's directors the caller may list (None: all), and whether with their phones: an administrator
    any, with phones; a station its own township's, names only; another station's list is as unknown to it as
    its cases."""
    if caller.role is Role.ADMIN:
        return township, True
    if caller.role is Role.STATION and township in (None, caller.scope):
        return caller.scope, False
    raise NotFound("没有这个工作站")
