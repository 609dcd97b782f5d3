"""What a referral keeps after the assessment: the monitoring of a child assessed 一般, 较差 or 危险 (its pairing
helper, the latest follow-up visit, how monitoring ended) and temporary guardianship (临时监护) by the county
centre. The names are the columns'; the helper's name and phone are personal data."""

from dataclasses import dataclass, fields
from datetime import datetime

from shared.domain.monitoring import MonitoringEnd


@dataclass(frozen=True)
class Monitoring:
    monitoring_started_at: datetime | None = None
    helper_name: str | None = None
    helper_phone: str | None = None
    helper_named_at: datetime | None = None
    follow_up_visit_at: datetime | None = None  # the latest
    monitoring_ended_at: datetime | None = None
    monitoring_end_reason: MonitoringEnd | None = None


@dataclass(frozen=True)
class Guardianship:
    guardianship_started_at: datetime | None = None
    guardianship_placement: str | None = None  # the institution
    guardianship_reason: str | None = None
    guardianship_ended_at: datetime | None = None
    guardianship_decided_at: datetime | None = None  # when the centre decided it was not needed

    @property
    def running(self) -> bool:
        return self.guardianship_started_at is not None and self.guardianship_ended_at is None


MONITORING_COLUMNS = tuple(column.name for column in fields(Monitoring))
GUARDIANSHIP_COLUMNS = tuple(column.name for column in fields(Guardianship))


def monitoring_stopped(at: datetime, reason: MonitoringEnd) -> dict[str, object]:
    return {"monitoring_ended_at": at, "monitoring_end_reason": reason}
