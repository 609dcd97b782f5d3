"""Kafka subscribers of intake: the operator's read model of where each report went, a batch at a time."""

from services.intake import repository
from services.intake.repository import RoutingUpdate
from shared.events import DeadlineScheduled, ReferralAssigned, ReferralUnrouted, ReportLinked
from shared.runtime import ServiceRuntime


def register(runtime: ServiceRuntime) -> None:
    async def record(updates: list[RoutingUpdate]) -> None:
        async with runtime.pool.acquire() as connection:
            await repository.record_routing(connection, updates)

    async def on_referrals_assigned(events: list[ReferralAssigned]) -> None:
        await record([_update(event, "routed", event.assignee_code, event.assignee_name) for event in events])

    async def on_referrals_unrouted(events: list[ReferralUnrouted]) -> None:
        await record([_update(event, "unrouted", reason=event.reason) for event in events])

    async def on_reports_linked(events: list[ReportLinked]) -> None:
        await record([_update(event, "linked", event.assignee_code, event.assignee_name) for event in events])

    async def on_deadlines_scheduled(events: list[DeadlineScheduled]) -> None:
        async with runtime.pool.acquire() as connection:
            await repository.record_deadlines(
                connection, [(event.report_id, event.stage, event.due_at) for event in events]
            )

    group = f"{runtime.consumer_group}-status"
    runtime.consume_batches(ReferralAssigned, on_referrals_assigned, group)
    runtime.consume_batches(ReferralUnrouted, on_referrals_unrouted, group)
    runtime.consume_batches(ReportLinked, on_reports_linked, group)
    runtime.consume_batches(DeadlineScheduled, on_deadlines_scheduled, group)


def _update(
    event: ReferralAssigned | ReferralUnrouted | ReportLinked,
    state: str,
    assignee_code: str | None = None,
    assignee_name: str | None = None,
    reason: str | None = None,
) -> RoutingUpdate:
    return RoutingUpdate(
        event.report_id, state, event.referral_id, assignee_code, assignee_name, event.priority.value, reason
    )
