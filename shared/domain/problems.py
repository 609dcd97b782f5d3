"""How a rule says no, without knowing about HTTP: the edge answers a bad field with 422, a case the caller
may not see with 404, a step the caller's role may not take with 403, and a step the case's state does not
allow with 409."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    field: str
    code: str
    message: str


class FieldProblems(Exception):
    """Rules across fields failed. Each problem names its field; none echoes the value."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(f"{len(problems)} invalid fields")
        self.problems = problems


def invalid(field: str, code: str, message: str) -> FieldProblems:
    return FieldProblems([FieldProblem(field=field, code=code, message=message)])


class Refused(Exception):
    """A rule refused the caller; the message is for the person and names nothing personal."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(Refused):
    """There is no such case, or the caller may not know of it."""


class Forbidden(Refused):
    """The caller's role may not take this step."""


class Conflict(Refused):
    """The case's present state does not allow this step; `missing` names, by code, the steps still to take
    before it would; `code`, when given, says why in a word a program can act on."""

    def __init__(self, message: str, missing: tuple[str, ...] = (), code: str | None = None) -> None:
        super().__init__(message)
        self.missing = missing
        self.code = code


class NotReady(Exception):
    """What the step needs is not in place yet (reference data never loaded): the caller may try again later,
    and an administrator must see to it. The message says what is missing and names nothing personal."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
