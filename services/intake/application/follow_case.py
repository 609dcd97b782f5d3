"""Following each case to its end, inside the transaction of the batch that tells of it: the case's status,
priority and number from a later version of its referral only, its timeline, its reports' next deadlines and
callback deadline, and each step the 12345 platform and the reporter are told of, once per report."""

from datetime import datetime
from uuid import UUID

import asyncpg

from services.intake.adapters import case_repository
from services.intake.domain.case_progress import (
    CaseChange,
    CaseStatus,
    action_change,
    action_entry,
    linked_entry,
    placed_change,
    placed_entry,
)
from services.intake.domain.extensions import extension_entry
from services.intake.domain.progress import progressed
from shared.domain.codes import Milestone
from shared.domain.referrals import COMPLETES, ReferralAction, Stage
from shared.events import (
    DeadlineExtension,
    DeadlineScheduled,
    ReferralActionRecorded,
    ReferralAssigned,
    ReferralUnrouted,
    ReportLinked,
)
from shared.outbox import enqueue_many


async def follow_placements(
    connection: asyncpg.Connection, events: list[ReferralAssigned] | list[ReferralUnrouted]
) -> None:
    await case_repository.apply_changes(connection, [placed_change(event) for event in events])
    await case_repository.add_entries(connection, [placed_entry(event) for event in events])
    named = [
        (event.referral_id, event.assignee_code, event.assignee_name)
        for event in events
        if isinstance(event, ReferralAssigned) and event.assignee_name
    ]
    await case_repository.name_earlier_steps(connection, named)


async def follow_actions(connection: asyncpg.Connection, events: list[ReferralActionRecorded]) -> None:
    applied = await case_repository.apply_changes(connection, [action_change(event) for event in events])
    held = await case_repository.holders(connection, [event.referral_id for event in events])
    entries = [action_entry(event, *held.get(event.referral_id, (None, None))) for event in events]
    await case_repository.add_entries(connection, entries)
    for event in events:
        done = [stage.value for stage in COMPLETES.get(event.action, ())]
        closed = event.action is ReferralAction.CLOSED
        await case_repository.clear_done_deadlines(connection, event.referral_id, done, closed)
    for change in applied:
        await _announce(connection, change)


async def follow_extensions(connection: asyncpg.Connection, events: list[DeadlineExtension]) -> None:
    held = await case_repository.holders(connection, [event.referral_id for event in events])
    entries = [extension_entry(event, *held.get(event.referral_id, (None, None))) for event in events]
    await case_repository.add_entries(connection, entries)


async def follow_links(connection: asyncpg.Connection, events: list[ReportLinked]) -> None:
    for event in events:
        await case_repository.note_case(connection, event.referral_id, event.priority, event.case_number)
    await case_repository.add_entries(connection, [linked_entry(event) for event in events])


async def follow_callback_deadlines(connection: asyncpg.Connection, events: list[DeadlineScheduled]) -> None:
    """The hotline's 回访 deadline of each case: a callback task once it has come."""
    for event in events:
        if event.stage is Stage.CALLBACK:
            await case_repository.note_case(connection, event.referral_id, event.priority, None)
            await case_repository.set_callback_due(connection, event.referral_id, event.due_at)


async def _announce(connection: asyncpg.Connection, change: CaseChange) -> None:
    """The step to every report of the case, once per report and version of the referral."""
    if change.milestone is None:
        return
    outcome = change.outcome if change.status is CaseStatus.CLOSED else None
    events = []
    for report in await case_repository.following(connection, change.referral_id, change.report_id):
        if await case_repository.claim_milestone(
            connection, report.report_id, change.milestone, change.version, change.at
        ):
            ticket, client = report.hotline_ticket_id, report.platform_client
            step = progressed(
                report.report_id, ticket, client, change.case_number, change.milestone, change.at, outcome
            )
            events.append((step, str(report.report_id)))
    await enqueue_many(connection, events)


async def announce_received(
    connection: asyncpg.Connection, report_id: UUID, ticket: str | None, client: str | None, at: datetime
) -> None:
    """The first step, in the transaction that accepts the report."""
    if await case_repository.claim_milestone(connection, report_id, Milestone.RECEIVED, 0, at):
        step = progressed(report_id, ticket, client, None, Milestone.RECEIVED, at)
        await enqueue_many(connection, [(step, str(report_id))])
