"""A child's age on a day, from the facts a report gives: the ID number's birth date, then the birth date,
then the age the caller said (most reliable first). The same rule checks the facts against each other at
intake and triages the report at referral."""

from dataclasses import dataclass
from datetime import date

from shared.identifiers import id_birth_date


@dataclass(frozen=True)
class AgeFacts:
    id_number: str | None = None
    birth_date: date | None = None
    age: int | None = None


def age_on(born: date, day: date) -> int:
    """Whole years from birth to the day (a birthday on 29 February falls on 1 March in other years)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birth_date_of(facts: AgeFacts) -> date | None:
    """The birth date the ID number carries, else the one given."""
    from_id = id_birth_date(facts.id_number) if facts.id_number else None
    return from_id or facts.birth_date


def age_agrees(said: int, exact: int) -> bool:
    """Callers often give the traditional age (虚岁), counted from one at birth: one above is accepted too."""
    return said in (exact, exact + 1)


def child_age(facts: AgeFacts, day: date) -> int | None:
    """The child's age on the day, from the most reliable fact given; None when none is given (or a birth
    date lies after the day)."""
    born = birth_date_of(facts)
    if born is not None and born <= day:
        return age_on(born, day)
    return facts.age if born is None else None
