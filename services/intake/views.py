"""What each role sees of a report: operators see the reporter (for the callback), others only
what the reporter agreed to share; lists mask ID numbers and phones."""

import json
from datetime import datetime
from typing import Any

import asyncpg
from pydantic import BaseModel

from services.intake.identity import IdentityVault, ReporterIdentity
from shared.domain.access import Principal, Role
from shared.identifiers import mask_child, mask_id_number, mask_phone


class RoutingStatus(BaseModel):
    state: str
    referral_id: str | None
    station_code: str | None
    station_name: str | None
    priority: str | None
    reason: str | None
    next_deadline_stage: str | None
    next_deadline_at: datetime | None


class ReportView(BaseModel):
    report_id: str
    hotline_ticket_id: str | None
    received_at: datetime
    channel: str
    child: dict[str, Any]
    concerns: list[str]
    immediate_danger: bool
    mandatory_report: bool
    narrative: str
    reporter: dict[str, Any]
    status: RoutingStatus


class ReportListItem(BaseModel):
    report_id: str
    hotline_ticket_id: str | None
    received_at: datetime
    child_name: str | None
    child_id_number: str | None
    division_code: str | None
    concerns: list[str]
    status: RoutingStatus


def report_view(row: asyncpg.Record, principal: Principal, vault: IdentityVault) -> ReportView:
    child = _json(row["child"])
    if principal.role is not Role.OPERATOR:
        child = mask_child(child)
    return ReportView(
        report_id=str(row["report_id"]),
        hotline_ticket_id=row["hotline_ticket_id"],
        received_at=row["received_at"],
        channel=row["channel"],
        child=child,
        concerns=list(row["concerns"]),
        immediate_danger=row["immediate_danger"],
        mandatory_report=row["mandatory_report"],
        narrative=row["narrative"],
        reporter=_json(row["reporter"]) | _visible_identity(row, principal, vault),
        status=routing_status(row),
    )


def list_item(row: asyncpg.Record) -> ReportListItem:
    child = _json(row["child"])
    return ReportListItem(
        report_id=str(row["report_id"]),
        hotline_ticket_id=row["hotline_ticket_id"],
        received_at=row["received_at"],
        child_name=child.get("name"),
        child_id_number=mask_id_number(child.get("id_number")),
        division_code=child.get("division_code"),
        concerns=list(row["concerns"]),
        status=routing_status(row),
    )


def routing_status(row: asyncpg.Record) -> RoutingStatus:
    return RoutingStatus(
        state=row["routing_state"],
        referral_id=str(row["referral_id"]) if row["referral_id"] else None,
        station_code=row["assignee_code"],
        station_name=row["assignee_name"],
        priority=row["priority"],
        reason=row["routing_reason"],
        next_deadline_stage=row["next_deadline_stage"],
        next_deadline_at=row["next_deadline_at"],
    )


def _visible_identity(row: asyncpg.Record, principal: Principal, vault: IdentityVault) -> dict[str, Any]:
    if row["reporter_identity"] is None:
        return {}
    if principal.role is Role.OPERATOR:
        return vault.open(row["reporter_identity"]).model_dump()
    if row["identity_shared"]:
        identity = vault.open(row["reporter_identity"])
        return ReporterIdentity(
            name=identity.name,
            phone=mask_phone(identity.phone),
            relation=identity.relation,
            institution_name=identity.institution_name,
        ).model_dump()
    return {}


def _json(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else value
