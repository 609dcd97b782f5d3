"""PostgreSQL access for the routing state of reports: the read model fed by referral's and notification's events."""

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

import asyncpg

from services.intake.domain.routing import RoutingUpdate, ScheduledDeadline

T = TypeVar("T")


async def record_routing(connection: asyncpg.Connection, updates: list[RoutingUpdate]) -> None:
    """Applies the updates, all or none (executemany is atomic); a report's own updates keep their order."""
    await connection.executemany(
        "UPDATE reports SET routing_state = $2, referral_id = $3, assignee_code = $4, assignee_name = $5, "
        "priority = $6, routing_reason = $7, state_updated_at = now() WHERE report_id = $1",
        [
            (u.report_id, u.state, u.referral_id, u.assignee_code, u.assignee_name, u.priority, u.reason)
            for u in _in_lock_order(updates, lambda update: update.report_id)
        ],
    )


async def record_deadlines(connection: asyncpg.Connection, deadlines: list[ScheduledDeadline]) -> None:
    """Keeps each report's earliest pending deadline as its next one."""
    await connection.executemany(
        "UPDATE reports SET next_deadline_stage = $2, next_deadline_at = $3, state_updated_at = now() "
        "WHERE report_id = $1 AND (next_deadline_at IS NULL OR next_deadline_at > $3)",
        [
            (deadline.report_id, deadline.stage, deadline.due_at)
            for deadline in _in_lock_order(deadlines, lambda deadline: deadline.report_id)
        ],
    )


def _in_lock_order(rows: list[T], report_id: Callable[[T], UUID]) -> list[T]:
    """Batches from different topics lock the same reports; taking them in one order cannot deadlock.
    The sort is stable, so one report's rows keep their order."""
    return sorted(rows, key=report_id)
