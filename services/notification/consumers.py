"""Kafka subscribers of the notification service."""

from collections.abc import Callable

from services.notification.scheduling import Rules, start_or_move_clocks, stop_clocks
from shared.consuming import register_consumer
from shared.events import ReferralActionRecorded, ReferralAssigned
from shared.runtime import ServiceRuntime


def register(runtime: ServiceRuntime, rules: Callable[[], Rules]) -> None:
    async def on_referral_assigned(assigned: ReferralAssigned) -> None:
        await start_or_move_clocks(runtime.pool, assigned, rules())

    async def on_referral_action(action: ReferralActionRecorded) -> None:
        await stop_clocks(runtime.pool, action)

    group = runtime.consumer_group
    register_consumer(runtime.broker, event_type=ReferralAssigned, group_id=group, handle=on_referral_assigned)
    register_consumer(runtime.broker, event_type=ReferralActionRecorded, group_id=group, handle=on_referral_action)
