"""What each role sees of the reports a referral holds: the committee sees personal data masked; the reporter's
identity is there only when the reporter consented to share it, and then only for the station or centre that
holds the case (the hotline centre that took the report reads it at intake; nobody else sees it). The pairing
helper's name and phone are for the holder and the county centre; everyone else sees them masked."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from services.referral.domain.aftercare import Monitoring
from shared.domain.access import Principal, Role
from shared.identifiers import mask_child, mask_name, mask_phone

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


@dataclass(frozen=True)
class HelperSeen:
    name: str | None
    phone: str | None
    named_at: datetime


def helper_as_seen_by(monitoring: Monitoring, holder_code: str | None, caller: Principal) -> HelperSeen | None:
    if monitoring.helper_named_at is None:
        return None
    name, phone = monitoring.helper_name, monitoring.helper_phone
    holds_it = caller.role in HOLDERS and caller.scope == holder_code
    if not (holds_it or caller.role is Role.COUNTY_CENTRE):
        name, phone = mask_name(name), mask_phone(phone)
    return HelperSeen(name, phone, monitoring.helper_named_at)
