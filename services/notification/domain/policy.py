"""The deadline policy in force is versioned: the domain defaults are version 1, each administrator's change
adds a version, and a deadline keeps the version it was made under. Its document form is what is stored
and shown."""

from dataclasses import dataclass

from services.notification.domain.deadlines import DEFAULT_POLICY, Limit, Policy
from shared.domain.codes import Priority
from shared.domain.referrals import Stage

PolicyDocument = dict[str, dict[str, dict[str, float]]]


@dataclass(frozen=True)
class VersionedPolicy:
    version: int  # 0: the defaults, before the stored versions are read
    limits: Policy


DEFAULTS_UNREAD = VersionedPolicy(0, DEFAULT_POLICY)


def to_document(policy: Policy) -> PolicyDocument:
    return {
        stage.value: {
            priority.value: {"hours": limit.hours} if limit.hours else {"working_days": limit.working_days}
            for priority, limit in limits.items()
        }
        for stage, limits in policy.items()
    }


def from_document(document: dict) -> Policy:
    """A version stored before a stage existed takes that stage's defaults."""
    stored = {
        Stage(stage): {Priority(priority): Limit(**limit) for priority, limit in limits.items()}
        for stage, limits in document.items()
    }
    return DEFAULT_POLICY | stored
