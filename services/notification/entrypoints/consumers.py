"""Kafka subscribers of the notification service."""

from collections.abc import Callable

from services.notification.application.case_actions import apply_action, record_callback
from services.notification.application.clocks import Rules, start_or_move_many_clocks
from services.notification.application.dead_letter_listing import record_dead_letters
from services.notification.application.platform_progress import tell_platforms
from services.notification.application.receiver_upkeep import keep_directory_entry
from services.notification.application.stuck_notices import tell_hotline
from services.notification.application.unrouted_clocks import start_dispatch_clocks
from shared.dead_letter_watch import DeadLetterSeen, watch_dead_letters
from shared.events import (
    CallbackRecorded,
    ReferralActionRecorded,
    ReferralAssigned,
    ReferralUnrouted,
    ReportProgressed,
    ReportStuck,
    StationDirectoryChanged,
)
from shared.runtime import ServiceRuntime
from shared.topics import ALL_TOPICS


def register(runtime: ServiceRuntime, rules: Callable[[], Rules]) -> None:
    async def on_referrals_assigned(assignments: list[ReferralAssigned]) -> None:
        await start_or_move_many_clocks(runtime.pool, assignments, rules())

    async def on_referrals_unrouted(events: list[ReferralUnrouted]) -> None:
        await start_dispatch_clocks(runtime.pool, events, rules())

    async def on_referral_action(action: ReferralActionRecorded) -> None:
        await apply_action(runtime.pool, action, rules())

    async def on_station_directory_changed(entry: StationDirectoryChanged) -> None:
        await keep_directory_entry(runtime.pool, entry)

    async def on_reports_stuck(events: list[ReportStuck]) -> None:
        await tell_hotline(runtime.pool, events, rules().channels)

    async def on_reports_progressed(events: list[ReportProgressed]) -> None:
        await tell_platforms(runtime.pool, events, rules().channels)

    async def on_callback_recorded(recorded: CallbackRecorded) -> None:
        await record_callback(runtime.pool, recorded)

    runtime.consume_batches(ReferralAssigned, on_referrals_assigned)
    runtime.consume_batches(ReferralUnrouted, on_referrals_unrouted)
    runtime.consume(ReferralActionRecorded, on_referral_action)
    runtime.consume(StationDirectoryChanged, on_station_directory_changed)
    runtime.consume_batches(ReportStuck, on_reports_stuck)
    runtime.consume(CallbackRecorded, on_callback_recorded)
    runtime.consume_batches(ReportProgressed, on_reports_progressed)

    async def on_dead_letters(letters: list[DeadLetterSeen]) -> None:
        await record_dead_letters(runtime.pool, letters)

    dead_letters = f"{runtime.consumer_group}-dead-letters"
    runtime.consumer_groups.add(dead_letters)
    watch_dead_letters(runtime.broker, ALL_TOPICS, dead_letters, on_dead_letters, runtime.settings.consumer_batch)
