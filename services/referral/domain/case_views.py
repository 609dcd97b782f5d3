"""What each role sees of the reports a referral holds: the committee sees personal data masked; the reporter's
identity is there only when the reporter consented to share it, and then only for the station or centre that
holds the case (the hotline centre that took the report reads it at intake; nobody else sees it)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from shared.domain.access import Principal, Role
from shared.identifiers import mask_child

HOLDERS = (Role.STATION, Role.COUNTY_CENTRE)


@dataclass(frozen=True)
class FiledReport:
    """A report a referral holds, as it was received (the ReportReceived event's fields)."""

    report_id: UUID
    received_at: datetime
    linked: bool
    report: dict[str, Any]


def as_seen_by(filed: FiledReport, caller: Principal) -> dict[str, Any]:
    report = filed.report
    child = dict(report["child"])
    identity = report.get("reporter_identity") if caller.role in HOLDERS else None
    if caller.role is Role.COMMITTEE:
        child = mask_child(child)
    return {
        "report_id": filed.report_id,
        "received_at": filed.received_at,
        "linked": filed.linked,
        "concerns": report["concerns"],
        "immediate_danger": report["immediate_danger"],
        "mandatory_report": report["mandatory_report"],
        "institution_type": report["reporter"].get("institution_type"),
        "child": child,
        "narrative": report["narrative"],
        "reporter_identity": identity,
    }
