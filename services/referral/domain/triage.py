"""Triage: a report's priority and whether the police must be told.

Pure rules; the defaults are the domain brief's.
"""

from dataclasses import dataclass
from datetime import date

from shared.domain.ages import AgeFacts, child_age
from shared.domain.codes import Concern, Priority


@dataclass(frozen=True)
class TriagePolicy:
    urgent_concerns: frozenset[Concern] = frozenset(
        {Concern.SEXUAL_ABUSE, Concern.TRAFFICKING, Concern.MISSING, Concern.ABANDONMENT, Concern.SELF_HARM}
    )
    high_concerns: frozenset[Concern] = frozenset(
        {Concern.GUARDIAN_ABUSE, Concern.NEGLECT, Concern.LACK_OF_GUARDIANSHIP, Concern.BULLYING}
    )
    police_concerns: frozenset[Concern] = frozenset(
        {
            Concern.GUARDIAN_ABUSE,
            Concern.SEXUAL_ABUSE,
            Concern.TRAFFICKING,
            Concern.ABANDONMENT,
            Concern.MISSING,
        }
    )
    abuse_is_urgent_below_age: int = 6


@dataclass(frozen=True)
class Triage:
    priority: Priority
    police_required: bool


def triage(
    concerns: set[Concern],
    immediate_danger: bool,
    mandatory_report: bool,
    child: AgeFacts,
    report_day: date,
    policy: TriagePolicy = TriagePolicy(),
) -> Triage:
    """Every age rule reads the child's age on the report's day, from the most reliable fact the report
    gives (ID number, birth date, then the age said): a 3-year-old known only by ID number is 3."""
    age = child_age(child, report_day)
    return Triage(
        priority=_priority(concerns, immediate_danger, mandatory_report, age, policy),
        police_required=immediate_danger or bool(concerns & policy.police_concerns),
    )


def _priority(
    concerns: set[Concern],
    immediate_danger: bool,
    mandatory_report: bool,
    child_age: int | None,
    policy: TriagePolicy,
) -> Priority:
    young_child_abused = (
        Concern.GUARDIAN_ABUSE in concerns and child_age is not None and child_age < policy.abuse_is_urgent_below_age
    )
    if immediate_danger or concerns & policy.urgent_concerns or young_child_abused:
        return Priority.P1
    if mandatory_report or concerns & policy.high_concerns:
        return Priority.P2
    return Priority.P3


def raised(priority: Priority) -> Priority:
    """One level more urgent (P1 stays P1)."""
    return {Priority.P3: Priority.P2, Priority.P2: Priority.P1, Priority.P1: Priority.P1}[priority]


def more_urgent(first: Priority, second: Priority) -> Priority:
    return min(first, second)  # P1 < P2 < P3
