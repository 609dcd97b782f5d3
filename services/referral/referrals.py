"""Turning a received report into exactly one referral, or a link to the child's open referral,
announced through the outbox in the same transaction that records the event as processed."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID, uuid4

import asyncpg

from services.referral import repository
from services.referral.announcements import placement_event, record_action
from services.referral.gazetteer import Gazetteer
from services.referral.model import NewReferral
from services.referral.resolver import Outcome, Resolution, resolve
from services.referral.routing import Routing, route
from services.referral.settings import ReferralSettings
from services.referral.triage import Triage, more_urgent, raised, triage
from shared.domain.child_identity import child_identity
from shared.domain.codes import Priority
from shared.events import ReferralAction, ReportLinked, ReportReceived, utcnow
from shared.inbox import claim_events
from shared.locks import hold
from shared.outbox import enqueue, enqueue_many

SYSTEM_ACTOR = "system:routing"


@dataclass(frozen=True)
class Incoming:
    """A received report with what is worked out before the database is touched."""

    report: ReportReceived
    where: Resolution
    key: str | None
    assessed: Triage


class Referrer:
    def __init__(self, pool: asyncpg.Pool, gazetteer: Callable[[], Gazetteer], settings: ReferralSettings) -> None:
        self.pool = pool
        self.gazetteer = gazetteer
        self.key_secret = settings.child_key_secret.get_secret_value().encode()
        self.window = timedelta(days=settings.repeat_window_days)
        self.repeats_that_raise = settings.repeats_that_raise_priority

    async def refer_many(self, reports: list[ReportReceived]) -> None:
        """A batch in one transaction. Reports about a child with no open referral and no other report in the
        batch (the common case) open their referrals together, in a few round trips for the whole batch; a
        repeat report, a second report about one child, or one whose household township gets a copy, is
        handled on its own, in the batch's order."""
        gazetteer = self.gazetteer()
        async with self.pool.acquire() as connection, connection.transaction():
            incoming = [self._worked_out(gazetteer, report) for report in await claim_events(connection, reports)]
            keys = [item.key for item in incoming if item.key]
            await hold(connection, keys)  # two reports about one child may arrive on different partitions at once
            open_already = await repository.children_with_open_referrals(connection, keys)
            reports_per_child = Counter(keys)
            together = [
                item
                for item in incoming
                if (item.key is None or (item.key not in open_already and reports_per_child[item.key] == 1))
                and not _has_household(item.report)
            ]
            await self._open(connection, together)
            opened_together = {item.report.event_id for item in together}
            for item in incoming:
                if item.report.event_id not in opened_together:
                    await self._refer_alone(connection, gazetteer, item)

    def _worked_out(self, gazetteer: Gazetteer, report: ReportReceived) -> Incoming:
        child = report.child
        where = resolve(gazetteer, child.address, child.division_code)
        key = child_identity(self.key_secret, child.facts(), _township_of(where))
        assessed = triage(set(report.concerns), report.immediate_danger, report.mandatory_report, child.age)
        return Incoming(report, where, key, assessed)

    async def _refer_alone(self, connection: asyncpg.Connection, gazetteer: Gazetteer, item: Incoming) -> None:
        if item.key is not None:
            open_referral = await repository.open_referral_of_child(connection, item.key)
            if open_referral is not None:
                await self._link(connection, open_referral, item.report, item.key, item.assessed)
                return
        for stored, routing in await self._open(connection, [item]):
            await self._copy_to_household_township(connection, gazetteer, stored, item.report, routing)

    async def _open(
        self, connection: asyncpg.Connection, items: list[Incoming]
    ) -> list[tuple[asyncpg.Record, Routing]]:
        """Opens a referral for each report, together; returns those opened with their routing."""
        if not items:
            return []
        stations = await repository.stations_covering_all(connection, [_code_of(item.where) for item in items])
        earlier = await repository.reports_of_children_since(
            connection, [(item.key, item.report.received_at - self.window) for item in items if item.key]
        )
        routings = [route(item.where, stations) for item in items]
        referrals = [
            self._new_referral(item, routing, earlier.get(item.key, 0) if item.key else 0)
            for item, routing in zip(items, routings, strict=True)
        ]
        stored = await repository.insert_referrals(connection, referrals)
        opened = [
            (item, routing, stored[referral.report_id])
            for item, routing, referral in zip(items, routings, referrals, strict=True)
            if _was_stored(referral, stored)
        ]
        await repository.add_first_reports(
            connection, [(referral["referral_id"], item.report, item.key) for item, _, referral in opened]
        )
        await repository.append_histories(
            connection,
            [
                (referral["referral_id"], referral["status"], SYSTEM_ACTOR, _routing_detail(item, routing, referral))
                for item, routing, referral in opened
            ],
        )
        await enqueue_many(
            connection,
            [(placement_event(referral, reason="routed"), str(referral["referral_id"])) for _, _, referral in opened],
        )
        return [(referral, routing) for _, routing, referral in opened]

    def _new_referral(self, item: Incoming, routing: Routing, earlier_reports: int) -> NewReferral:
        priority = item.assessed.priority
        if earlier_reports + 1 >= self.repeats_that_raise:
            priority = raised(priority)
        return NewReferral(
            referral_id=uuid4(),
            report_id=item.report.report_id,
            status="assigned" if routing.assignee else "unrouted",
            assignee_code=routing.assignee.code if routing.assignee else None,
            priority=priority.value,
            police_required=item.assessed.police_required,
            routing_reason=routing.reason,
            division_code=routing.division_code,
            created_at=utcnow(),
            child_key=item.key,
            match_method=item.where.matched_by,
            candidates=_candidates(routing),
        )

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
        in_window = await repository.reports_of_child_since(connection, key, report.received_at - self.window)
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


def _routing_detail(item: Incoming, routing: Routing, referral: asyncpg.Record) -> dict:
    return {
        "assignee_code": referral["assignee_code"],
        "reason": routing.reason,
        "matched_by": item.where.matched_by,
        "priority": referral["priority"],
        "candidates": _candidates(routing),
    }


def _was_stored(referral: NewReferral, stored: dict[UUID, asyncpg.Record]) -> bool:
    """False when the report already had a referral, or another event of the batch opened it first."""
    row = stored.get(referral.report_id)
    return row is not None and row["referral_id"] == referral.referral_id


def _candidates(routing: Routing) -> list[dict[str, str]]:
    return [{"code": place.code, "path": place.path} for place in routing.candidates]


def _has_household(report: ReportReceived) -> bool:
    """Whether the report names where the child's household is registered (its station may get a copy)."""
    return bool(report.child.hukou_address or report.child.hukou_division_code)


def _township_of(where: Resolution) -> str | None:
    return where.place.code[:9] if where.outcome is Outcome.TOWNSHIP and where.place else None


def _code_of(where: Resolution) -> str | None:
    return where.place.code if where.place and where.outcome in (Outcome.TOWNSHIP, Outcome.COUNTY) else None
