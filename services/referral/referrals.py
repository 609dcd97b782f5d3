"""Turning a received report into exactly one referral, or a link to the child's open referral,
announced through the outbox in the same transaction that records the event as processed."""

from collections.abc import Callable
from datetime import timedelta
from uuid import uuid4

import asyncpg

from services.referral import repository
from services.referral.announcements import announce_placement, record_action
from services.referral.child_key import child_key
from services.referral.gazetteer import Gazetteer
from services.referral.model import NewReferral
from services.referral.resolver import Outcome, Resolution, resolve
from services.referral.routing import Routing, route
from services.referral.settings import ReferralSettings
from services.referral.triage import Triage, more_urgent, raised, triage
from shared.codes import Priority
from shared.events import ReferralAction, ReportLinked, ReportReceived, utcnow
from shared.inbox import claim_event
from shared.outbox import enqueue

SYSTEM_ACTOR = "system:routing"


class Referrer:
    def __init__(self, pool: asyncpg.Pool, gazetteer: Callable[[], Gazetteer], settings: ReferralSettings) -> None:
        self.pool = pool
        self.gazetteer = gazetteer
        self.key_secret = settings.child_key_secret.get_secret_value().encode()
        self.window = timedelta(days=settings.repeat_window_days)
        self.repeats_that_raise = settings.repeats_that_raise_priority

    async def refer(self, report: ReportReceived) -> None:
        gazetteer = self.gazetteer()
        child = report.child
        where = resolve(gazetteer, child.address, child.division_code)
        key = child_key(self.key_secret, child, _township_of(where))
        assessed = triage(set(report.concerns), report.immediate_danger, report.mandatory_report, child.age)
        async with self.pool.acquire() as connection, connection.transaction():
            if not await claim_event(connection, report.event_id, report.TOPIC):
                return
            if key is not None:
                # Two reports about one child may arrive on different partitions at once.
                await connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", key)
                open_referral = await repository.open_referral_of_child(connection, key)
                if open_referral is not None:
                    await self._link(connection, open_referral, report, key, assessed)
                    return
            await self._open(connection, gazetteer, report, where, key, assessed)

    async def _open(
        self,
        connection: asyncpg.Connection,
        gazetteer: Gazetteer,
        report: ReportReceived,
        where: Resolution,
        key: str | None,
        assessed: Triage,
    ) -> None:
        routing = route(where, await repository.stations_covering(connection, _code_of(where)))
        earlier = await self._reports_in_window(connection, report, key, including_this=False)
        priority = assessed.priority
        if earlier + 1 >= self.repeats_that_raise:
            priority = raised(priority)
        referral = NewReferral(
            referral_id=uuid4(),
            report_id=report.report_id,
            status="assigned" if routing.assignee else "unrouted",
            assignee_code=routing.assignee.code if routing.assignee else None,
            priority=priority.value,
            police_required=assessed.police_required,
            routing_reason=routing.reason,
            division_code=routing.division_code,
            created_at=utcnow(),
            child_key=key,
            match_method=where.matched_by,
            candidates=[{"code": place.code, "path": place.path} for place in routing.candidates],
        )
        stored = await repository.insert_referral(connection, referral)
        if stored is None:
            return
        await repository.add_report(connection, referral.referral_id, report, key, linked=False)
        await repository.append_history(
            connection,
            referral.referral_id,
            referral.status,
            SYSTEM_ACTOR,
            {
                "assignee_code": referral.assignee_code,
                "reason": routing.reason,
                "matched_by": where.matched_by,
                "priority": referral.priority,
                "candidates": referral.candidates,
            },
        )
        await announce_placement(connection, stored, reason="routed")
        await self._copy_to_household_township(connection, gazetteer, stored, report, routing)

    async def _link(
        self,
        connection: asyncpg.Connection,
        referral: asyncpg.Record,
        report: ReportReceived,
        key: str,
        assessed: Triage,
    ) -> None:
        if not await repository.add_report(connection, referral["referral_id"], report, key, linked=True):
            return
        in_window = await self._reports_in_window(connection, report, key, including_this=True)
        before = Priority(referral["priority"])
        after = more_urgent(before, assessed.priority)
        if in_window == self.repeats_that_raise:
            after = more_urgent(after, raised(before))
        updated = await repository.update_referral(
            connection,
            referral["referral_id"],
            priority=after.value,
            police_required=referral["police_required"] or assessed.police_required,
            report_count=referral["report_count"] + 1,
        )
        await repository.append_history(
            connection,
            referral["referral_id"],
            "report_linked",
            SYSTEM_ACTOR,
            {"report_id": str(report.report_id), "reports_in_window": in_window},
        )
        link = ReportLinked(
            report_id=report.report_id,
            referral_id=referral["referral_id"],
            assignee_code=updated["assignee_code"],
            assignee_name=updated["assignee_name"],
            priority=after,
            reports_in_window=in_window,
        )
        await enqueue(connection, link, key=str(referral["referral_id"]))
        if after != before:
            reason = "repeat_reports" if in_window == self.repeats_that_raise else "linked_report_triage"
            detail = {"from": before.value, "to": after.value, "reason": reason, "reports_in_window": in_window}
            await record_action(connection, updated, ReferralAction.PRIORITY_RAISED, SYSTEM_ACTOR, detail)

    async def _reports_in_window(
        self, connection: asyncpg.Connection, report: ReportReceived, key: str | None, including_this: bool
    ) -> int:
        if key is None:
            return 1 if including_this else 0
        return await repository.reports_of_child_since(connection, key, report.received_at - self.window)

    async def _copy_to_household_township(
        self,
        connection: asyncpg.Connection,
        gazetteer: Gazetteer,
        referral: asyncpg.Record,
        report: ReportReceived,
        routing: Routing,
    ) -> None:
        """The station of the child's household registration gets a copy for information."""
        home = _township_of(resolve(gazetteer, report.child.hukou_address, report.child.hukou_division_code))
        if home is None or (routing.division_code or "")[:9] == home:
            return
        stations = await repository.stations_covering(connection, home)
        holder = stations.get(home) or stations.get(home[:6])
        if holder is None or holder.code == referral["assignee_code"]:
            return
        if not await repository.add_copy(connection, referral["referral_id"], holder.code, "household_registration"):
            return
        detail = {"station_code": holder.code, "reason": "household_registration"}
        await record_action(connection, referral, ReferralAction.INFORMATION_COPY_SENT, SYSTEM_ACTOR, detail)


def _township_of(where: Resolution) -> str | None:
    return where.place.code[:9] if where.outcome is Outcome.TOWNSHIP and where.place else None


def _code_of(where: Resolution) -> str | None:
    return where.place.code if where.place and where.outcome in (Outcome.TOWNSHIP, Outcome.COUNTY) else None
