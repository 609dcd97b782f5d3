"""Turning a received report into exactly one referral, announced through the outbox."""

from uuid import uuid4

import asyncpg

from services.referral import repository
from services.referral.model import NewReferral
from services.referral.routing import route
from services.referral.triage import triage
from shared.events import ReferralAssigned, ReferralUnrouted, ReportReceived, utcnow
from shared.inbox import claim_event
from shared.outbox import enqueue

SYSTEM_ACTOR = "system:routing"


async def refer_report(pool: asyncpg.Pool, report: ReportReceived) -> None:
    async with pool.acquire() as connection, connection.transaction():
        if not await claim_event(connection, report.event_id, report.TOPIC):
            return
        stations = await repository.stations_covering(connection, report.child.division_code)
        routing = route(report.child.division_code, stations)
        assessed = triage(set(report.concerns), report.immediate_danger, report.mandatory_report, report.child.age)
        referral = NewReferral(
            referral_id=uuid4(),
            report_id=report.report_id,
            status="assigned" if routing.assignee else "unrouted",
            assignee_code=routing.assignee.code if routing.assignee else None,
            priority=assessed.priority.value,
            police_required=assessed.police_required,
            routing_reason=routing.reason,
            division_code=report.child.division_code,
            created_at=utcnow(),
        )
        if not await repository.insert_referral(connection, referral):
            return
        await repository.append_history(
            connection,
            referral.referral_id,
            referral.status,
            SYSTEM_ACTOR,
            {
                "assignee_code": referral.assignee_code,
                "reason": routing.reason,
                "priority": referral.priority,
            },
        )
        if routing.assignee:
            event = ReferralAssigned(
                referral_id=referral.referral_id,
                report_id=report.report_id,
                assignee_code=routing.assignee.code,
                assignee_kind=routing.assignee.kind,
                assignee_name=routing.assignee.name,
                priority=assessed.priority,
                police_required=assessed.police_required,
                assigned_at=referral.created_at,
            )
        else:
            event = ReferralUnrouted(
                referral_id=referral.referral_id,
                report_id=report.report_id,
                reason=routing.reason,
                priority=assessed.priority,
            )
        await enqueue(connection, event, key=str(report.report_id))
