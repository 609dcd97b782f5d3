"""Requests for more time on a stage (延期), the county centre's decision, and 督办 by hand. Each step runs
in one transaction with its audit row, its announcement in the outbox and the notices it causes."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

import asyncpg

from services.notification.adapters.extension_repository import ExtensionRepository
from services.notification.adapters.receiver_repository import ReceiverRepository
from services.notification.application.addressing import record_notices
from services.notification.domain.case_notices import notice_for_extension
from services.notification.domain.deadlines import Due
from services.notification.domain.delivery_channels import DeliveryChannel
from services.notification.domain.extensions import (
    HeldDeadline,
    check_decision,
    check_request,
    check_supervision,
    supervision_by_hand,
)
from services.notification.domain.notices import CaseLabel, notices_for_alert
from services.notification.domain.stage_clocks import StageClock
from shared.audit import audit
from shared.domain.access import Principal
from shared.events import DeadlineExtension, utcnow
from shared.events.deadlines import ExtensionDecision
from shared.outbox import enqueue


@dataclass(frozen=True)
class ExtensionAsked:
    extension_id: UUID
    deadline_id: UUID
    due_at: datetime
    requested_until: datetime


def who(caller: Principal) -> str:
    return f"{caller.role.value}:{caller.scope or caller.subject}"


async def request_extension(
    pool: asyncpg.Pool,
    caller: Principal,
    deadline_id: UUID,
    reason: str,
    until: datetime,
    channels: frozenset[DeliveryChannel],
) -> ExtensionAsked:
    async with pool.acquire() as connection, connection.transaction():
        extensions, now = ExtensionRepository(connection), utcnow()
        deadline = check_request(caller, await extensions.deadline(deadline_id), until, now)
        extension_id = uuid4()
        await extensions.add(extension_id, deadline, who(caller), reason, until, now)
        await audit(connection, caller, "extension_requested", [deadline.referral_id], target=str(extension_id))
        event = _announced(extension_id, deadline, until, ExtensionDecision.PENDING, None, now)
        await _announce(connection, event, deadline, channels)
    return ExtensionAsked(extension_id, deadline.deadline_id, deadline.due_at, until)


async def decide_extension(
    pool: asyncpg.Pool,
    caller: Principal,
    extension_id: UUID,
    decision: ExtensionDecision,
    channels: frozenset[DeliveryChannel],
) -> ExtensionAsked:
    """Approval moves the stage's deadline and its timers, and announces the deadline as scheduled anew."""
    async with pool.acquire() as connection, connection.transaction():
        extensions, now = ExtensionRepository(connection), utcnow()
        deadline = check_decision(caller, await extensions.deadline_of_request(extension_id), decision)
        until = await extensions.decide(extension_id, decision, who(caller), now)
        if decision is ExtensionDecision.APPROVED:
            await extensions.extend(deadline.deadline_id, until, deadline.timers_until(until), now)
            moved = _clock(deadline).scheduled(deadline.priority, Due(until, provisional=False))
            await enqueue(connection, moved, key=str(deadline.referral_id))
        await audit(connection, caller, f"extension_{decision.value}", [deadline.referral_id], target=str(extension_id))
        event = _announced(extension_id, deadline, until, decision, who(caller), now)
        await _announce(connection, event, deadline, channels)
    return ExtensionAsked(extension_id, deadline.deadline_id, deadline.due_at, until)


async def pending_extensions(pool: asyncpg.Pool, caller: Principal, area: str) -> list[dict]:
    async with pool.acquire() as connection, connection.transaction():
        pending = await ExtensionRepository(connection).pending_in(area)
        await audit(connection, caller, "list", [row["referral_id"] for row in pending], target="pending extensions")
    return pending


async def supervise(
    pool: asyncpg.Pool, caller: Principal, deadline_id: UUID, note: str, channels: frozenset[DeliveryChannel]
) -> None:
    async with pool.acquire() as connection, connection.transaction():
        extensions, now = ExtensionRepository(connection), utcnow()
        deadline = check_supervision(caller, await extensions.deadline(deadline_id), now)
        issued = supervision_by_hand(deadline, caller, now)
        await extensions.supervised(deadline.deadline_id, issued.issued_by or who(caller), note, now)
        await audit(connection, caller, "supervision_issued", [deadline.referral_id], target=str(deadline_id))
        await enqueue(connection, issued, key=str(deadline.referral_id))
        label = CaseLabel(deadline.case_number, await ReceiverRepository(connection).name_of(deadline.assignee_code))
        await record_notices(connection, [(issued.event_id, n) for n in notices_for_alert(issued, label)], channels)


def _clock(deadline: HeldDeadline) -> StageClock:
    return StageClock(
        deadline.deadline_id,
        deadline.referral_id,
        deadline.report_id,
        deadline.stage,
        deadline.assignee_code,
        deadline.starts_at,
    )


def _announced(
    extension_id: UUID,
    deadline: HeldDeadline,
    until: datetime,
    decision: ExtensionDecision,
    decided_by: str | None,
    now: datetime,
) -> DeadlineExtension:
    return DeadlineExtension(
        extension_id=extension_id,
        deadline_id=deadline.deadline_id,
        referral_id=deadline.referral_id,
        report_id=deadline.report_id,
        stage=deadline.stage,
        assignee_code=deadline.assignee_code,
        due_at=deadline.due_at,
        requested_until=until,
        decision=decision,
        decided_by=decided_by,
        at=now,
    )


async def _announce(
    connection: asyncpg.Connection,
    event: DeadlineExtension,
    deadline: HeldDeadline,
    channels: frozenset[DeliveryChannel],
) -> None:
    await enqueue(connection, event, key=str(deadline.referral_id))
    await record_notices(connection, [(event.event_id, notice_for_extension(event, deadline.case_number))], channels)
