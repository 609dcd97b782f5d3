"""Kafka subscribers of intake: the operator's read model of where each report went."""

from services.intake import repository
from shared.events import DeadlineScheduled, ReferralAssigned, ReferralUnrouted, ReportLinked
from shared.runtime import ServiceRuntime


def register(runtime: ServiceRuntime) -> None:
    async def record(event: ReferralAssigned | ReferralUnrouted | ReportLinked, state: str, **where: str | None):
        async with runtime.pool.acquire() as connection:
            await repository.record_routing(
                connection,
                event.report_id,
                state=state,
                referral_id=event.referral_id,
                assignee_code=where.get("assignee_code"),
                assignee_name=where.get("assignee_name"),
                priority=event.priority.value,
                reason=where.get("reason"),
            )

    async def on_referral_assigned(event: ReferralAssigned) -> None:
        await record(event, "routed", assignee_code=event.assignee_code, assignee_name=event.assignee_name)

    async def on_referral_unrouted(event: ReferralUnrouted) -> None:
        await record(event, "unrouted", reason=event.reason)

    async def on_report_linked(event: ReportLinked) -> None:
        await record(event, "linked", assignee_code=event.assignee_code, assignee_name=event.assignee_name)

    async def on_deadline_scheduled(event: DeadlineScheduled) -> None:
        async with runtime.pool.acquire() as connection:
            await repository.record_deadline(connection, event.report_id, event.stage, event.due_at)

    group = f"{runtime.consumer_group}-status"
    runtime.consume(ReferralAssigned, on_referral_assigned, group)
    runtime.consume(ReferralUnrouted, on_referral_unrouted, group)
    runtime.consume(ReportLinked, on_report_linked, group)
    runtime.consume(DeadlineScheduled, on_deadline_scheduled, group)
