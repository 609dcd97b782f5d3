"""Kafka subscribers of the notification service."""

from services.notification.scheduling import schedule_acknowledgement
from shared.consuming import register_consumer
from shared.events import ReferralAssigned
from shared.runtime import ServiceRuntime


def register(runtime: ServiceRuntime) -> None:
    async def on_referral_assigned(assigned: ReferralAssigned) -> None:
        await schedule_acknowledgement(runtime.pool, assigned)

    register_consumer(
        runtime.broker,
        event_type=ReferralAssigned,
        group_id=runtime.consumer_group,
        handle=on_referral_assigned,
    )
