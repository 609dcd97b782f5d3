"""Events that announce a referral's changes, put in the outbox in the transaction that made them."""

import json

import asyncpg

from services.referral.repository import append_history
from shared.domain.codes import AssigneeKind, Priority
from shared.events import (
    DivisionCandidate,
    ReferralAction,
    ReferralActionRecorded,
    ReferralAssigned,
    ReferralUnrouted,
    utcnow,
)
from shared.outbox import enqueue


async def announce_action(
    connection: asyncpg.Connection,
    referral: asyncpg.Record,
    action: ReferralAction,
    actor: str,
    detail: dict[str, str | int | None] | None = None,
) -> None:
    event = ReferralActionRecorded(
        referral_id=referral["referral_id"],
        report_id=referral["report_id"],
        version=referral["version"],
        action=action,
        actor=actor,
        at=utcnow(),
        status=referral["status"],
        assignee_code=referral["assignee_code"],
        priority=Priority(referral["priority"]),
        detail=detail or {},
    )
    await enqueue(connection, event, key=str(referral["referral_id"]))


async def record_action(
    connection: asyncpg.Connection,
    referral: asyncpg.Record,
    action: ReferralAction,
    actor: str,
    detail: dict[str, str | int | None],
    notes: str | None = None,
) -> None:
    """Appends the action to the referral's history (with the notes) and announces it (without them)."""
    await append_history(
        connection, referral["referral_id"], action.value, actor, detail | ({"notes": notes} if notes else {})
    )
    await announce_action(connection, referral, action, actor, detail)


async def announce_placement(connection: asyncpg.Connection, referral: asyncpg.Record, reason: str) -> None:
    """Where the referral now is: with a station or centre, or in the unrouted queue."""
    await enqueue(connection, placement_event(referral, reason), key=str(referral["referral_id"]))


def placement_event(referral: asyncpg.Record, reason: str) -> ReferralAssigned | ReferralUnrouted:
    if referral["assignee_code"] is None:
        return ReferralUnrouted(
            referral_id=referral["referral_id"],
            report_id=referral["report_id"],
            reason=referral["routing_reason"],
            priority=Priority(referral["priority"]),
            candidates=[DivisionCandidate(**candidate) for candidate in _decoded(referral["candidates"])],
        )
    return ReferralAssigned(
        referral_id=referral["referral_id"],
        report_id=referral["report_id"],
        assignee_code=referral["assignee_code"],
        assignee_kind=AssigneeKind(referral["assignee_kind"]),
        assignee_name=referral["assignee_name"],
        priority=Priority(referral["priority"]),
        police_required=referral["police_required"],
        assigned_at=referral["updated_at"],
        reason=reason,
        version=referral["version"],
    )


def _decoded(candidates: object) -> list[dict[str, str]]:
    return json.loads(candidates) if isinstance(candidates, str) else list(candidates or [])
