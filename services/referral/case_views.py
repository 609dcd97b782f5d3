"""What each role sees of the reports a referral holds: the committee sees personal data masked;
the reporter's identity is there only when the reporter consented to share it."""

import json

import asyncpg

from services.referral.schemas import CaseReport
from shared.domain.access import Principal, Role
from shared.identifiers import mask_child, mask_name, mask_phone


def case_report(row: asyncpg.Record, caller: Principal) -> CaseReport:
    report = json.loads(row["report"]) if isinstance(row["report"], str) else row["report"]
    child = dict(report["child"])
    identity = report.get("reporter_identity")
    if caller.role is Role.COMMITTEE:
        child = mask_child(child)
        if identity:
            identity = identity | {"name": mask_name(identity.get("name")), "phone": mask_phone(identity.get("phone"))}
    return CaseReport(
        report_id=row["report_id"],
        received_at=row["received_at"],
        linked=row["linked"],
        concerns=report["concerns"],
        immediate_danger=report["immediate_danger"],
        mandatory_report=report["mandatory_report"],
        institution_type=report["reporter"].get("institution_type"),
        child=child,
        narrative=report["narrative"],
        reporter_identity=identity,
    )
