"""Accepting a report: it and the event announcing it are committed together, or not at all."""

from uuid import UUID, uuid4

import asyncpg

from services.intake.schemas import ReportIn
from shared.events import ReportedChild, ReportReceived, utcnow
from shared.outbox import enqueue


async def accept_report(pool: asyncpg.Pool, report: ReportIn) -> UUID:
    report_id = uuid4()
    event = ReportReceived(
        report_id=report_id,
        received_at=utcnow(),
        child=ReportedChild(**report.child.model_dump()),
        concerns=report.concerns,
        immediate_danger=report.immediate_danger,
        mandatory_report=report.reporter.mandatory_reporter,
        narrative=report.narrative,
    )
    async with pool.acquire() as connection, connection.transaction():
        await connection.execute(
            "INSERT INTO reports (report_id, received_at, division_code, address, concerns, "
            "immediate_danger, mandatory_report, narrative, child) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            report_id,
            event.received_at,
            report.child.division_code,
            report.child.address,
            [str(concern) for concern in report.concerns],
            report.immediate_danger,
            report.reporter.mandatory_reporter,
            report.narrative,
            report.child.model_dump_json(),
        )
        await enqueue(connection, event, key=str(report_id))
    return report_id
