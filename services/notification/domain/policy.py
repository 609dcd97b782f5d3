"""The deadline policy in force is versioned: the domain defaults are version 1, each administrator's change
adds a version, and a deadline keeps the version it was made under. Its document form is what is stored
and shown."""

from dataclasses import dataclass

from services.notification.domain.deadlines import DEFAULT_POLICY, LEVEL_STAGES, Limit, Policy, Tier
from shared.domain.codes import Priority
from shared.domain.monitoring import Assessment
from shared.domain.referrals import Stage

PolicyDocument = dict[str, dict[str, dict[str, int | float]]]  # working days, days and months whole


@dataclass(frozen=True)
class VersionedPolicy:
    version: int  # 0: the defaults, before the stored versions are read
    limits: Policy


DEFAULTS_UNREAD = VersionedPolicy(0, DEFAULT_POLICY)


def to_document(policy: Policy) -> PolicyDocument:
    return {
        stage.value: {tier.value: _measure(limit) for tier, limit in limits.items()} for stage, limits in policy.items()
    }


def _measure(limit: Limit) -> dict[str, float]:
    """The one measure a limit is given in."""
    measures = {"hours": limit.hours, "days": limit.days, "months": limit.months}
    return next(({name: value} for name, value in measures.items() if value), {"working_days": limit.working_days})


def tier(stage: Stage, key: str) -> Tier:
    """A limit's key read back: the level for a stage timed by the assessment level, else the priority."""
    return Assessment(key) if stage in LEVEL_STAGES else Priority(key)


def from_document(document: dict) -> Policy:
    """A version stored before a stage existed takes that stage's defaults."""
    stored = {
        Stage(stage): {tier(Stage(stage), key): Limit(**limit) for key, limit in limits.items()}
        for stage, limits in document.items()
    }
    return DEFAULT_POLICY | stored
