"""Turning received reports into exactly one referral each, or a link to the child's open referral,
announced through the outbox in the same transaction that records the events as processed."""

from collections import Counter
from collections.abc import Callable

from services.referral.application.ports import Transaction, Transactions
from services.referral.application.recording import record_action
from services.referral.domain.case_numbers import case_area, counter_key, numbers_for
from services.referral.domain.changes import REPORT_LINKED, SYSTEM_ACTOR, HistoryEntry, PlacementReason
from services.referral.domain.events import placement, report_linked
from services.referral.domain.gazetteer import Gazetteer
from services.referral.domain.opening import (
    HOUSEHOLD_REGISTRATION,
    Incoming,
    NewReferral,
    area_code,
    copy_holder,
    household_township,
    new_referral,
    routing_detail,
    township_of_child,
)
from services.referral.domain.referral import Referral
from services.referral.domain.repeats import RepeatRule
from services.referral.domain.resolver import resolve
from services.referral.domain.routing import Routing, route
from services.referral.domain.triage import triage
from shared.domain.ages import AgeFacts
from shared.domain.batches import together_and_alone
from shared.domain.child_identity import child_identity
from shared.domain.referrals import ReferralAction
from shared.events import ReportReceived, utcnow
from shared.timezones import CHINA


class Referrer:
    def __init__(
        self,
        transactions: Transactions,
        gazetteer: Callable[[], Gazetteer],
        child_key_secret: bytes,
        repeats: RepeatRule,
    ) -> None:
        self.transactions = transactions
        self.gazetteer = gazetteer
        self.child_key_secret = child_key_secret
        self.repeats = repeats

    async def refer_many(self, reports: list[ReportReceived]) -> None:
        """A batch in one transaction. Reports about a child with no open referral and no other report in the
        batch (the common case) open their referrals together, in a few round trips for the whole batch; a
        repeat report, a second report about one child, or one whose household township gets a copy, is
        handled on its own, in the batch's order."""
        gazetteer = self.gazetteer()
        async with self.transactions.begin() as transaction:
            incoming = [self._worked_out(gazetteer, report) for report in await transaction.claim(reports)]
            keys = [item.key for item in incoming if item.key]
            # Two reports about one child may arrive on different partitions at once; the case-number counters
            # are held with the children, in one order, so that two batches cannot deadlock on them.
            await transaction.hold(keys + sorted({counter_key(*item.numbered_in) for item in incoming}))
            open_already = await transaction.referrals.children_with_open_referrals(keys)
            together, alone = together_and_alone(
                incoming,
                key=lambda item: item.key,
                simple=lambda item: item.key not in open_already and not item.names_a_household,
            )
            await self._open(transaction, together)
            for item in alone:
                await self._refer_alone(transaction, gazetteer, item)

    def _worked_out(self, gazetteer: Gazetteer, report: ReportReceived) -> Incoming:
        child = report.child
        where = resolve(gazetteer, child.address, child.division_code)
        key = child_identity(self.child_key_secret, child.facts(), township_of_child(where))
        facts = AgeFacts(child.id_number, child.birth_date, child.age)
        report_day = report.received_at.astimezone(CHINA).date()  # a birthday falls on a China day
        assessed = triage(set(report.concerns), report.immediate_danger, report.mandatory_report, facts, report_day)
        return Incoming(report, where, key, assessed, case_area(gazetteer, area_code(where)))

    async def _refer_alone(self, transaction: Transaction, gazetteer: Gazetteer, item: Incoming) -> None:
        if item.key is not None:
            open_referral = await transaction.referrals.open_referral_of_child(item.key)
            if open_referral is not None:
                await self._link(transaction, open_referral, item)
                return
        for stored, routing in await self._open(transaction, [item]):
            await self._copy_to_household_township(transaction, gazetteer, stored, item.report, routing)

    async def _open(self, transaction: Transaction, items: list[Incoming]) -> list[tuple[Referral, Routing]]:
        """Opens a referral for each report, together; returns those opened with their routing."""
        if not items:
            return []
        stations = await transaction.stations.covering([item.covering_code for item in items])
        earlier = await transaction.referrals.reports_of_children_since(
            [(item.key, item.report.received_at - self.repeats.window) for item in items if item.key]
        )
        routings = [route(item.where, stations) for item in items]
        numbers = numbers_for(
            [item.numbered_in for item in items],
            await transaction.referrals.take_case_numbers(Counter(item.numbered_in for item in items)),
        )
        referrals = [
            new_referral(item, routing, earlier.get(item.key, 0) if item.key else 0, self.repeats, utcnow(), number)
            for item, routing, number in zip(items, routings, numbers, strict=True)
        ]
        stored = await transaction.referrals.insert(referrals)
        opened = [
            (item, routing, stored[referral.report_id])
            for item, routing, referral in zip(items, routings, referrals, strict=True)
            if _was_stored(referral, stored)
        ]
        await transaction.referrals.file_first_reports(
            [(referral.referral_id, item.report, item.key) for item, _, referral in opened]
        )
        await transaction.referrals.append_history(
            [
                HistoryEntry(
                    referral.referral_id,
                    referral.status.value,
                    SYSTEM_ACTOR,
                    routing_detail(item, routing, referral.assignee_code, referral.priority),
                )
                for item, routing, referral in opened
            ]
        )
        await transaction.outbox.put(
            [(placement(referral, PlacementReason.ROUTED), str(referral.referral_id)) for _, _, referral in opened]
        )
        return [(referral, routing) for _, routing, referral in opened]

    async def _link(self, transaction: Transaction, referral: Referral, item: Incoming) -> None:
        report, key = item.report, item.key or ""
        if not await transaction.referrals.file_linked_report(referral.referral_id, report, key):
            return
        since = report.received_at - self.repeats.window
        in_window = (await transaction.referrals.reports_of_children_since([(key, since)]))[key]
        linking = referral.link_report(item.assessed, in_window, self.repeats)
        updated = await transaction.referrals.update(referral.referral_id, linking.fields)
        detail = {"report_id": str(report.report_id), "reports_in_window": in_window}
        await transaction.referrals.append_history(
            [HistoryEntry(referral.referral_id, REPORT_LINKED, SYSTEM_ACTOR, detail)]
        )
        await transaction.outbox.put([(report_linked(updated, report.report_id, in_window), str(referral.referral_id))])
        if linking.priority_raised is not None:
            await record_action(
                transaction, updated, ReferralAction.PRIORITY_RAISED, SYSTEM_ACTOR, linking.priority_raised
            )

    async def _copy_to_household_township(
        self,
        transaction: Transaction,
        gazetteer: Gazetteer,
        referral: Referral,
        report: ReportReceived,
        routing: Routing,
    ) -> None:
        """The station of the child's household registration gets a copy for information."""
        child = report.child
        home = household_township(resolve(gazetteer, child.hukou_address, child.hukou_division_code), routing)
        if home is None:
            return
        holder = copy_holder(home, await transaction.stations.covering([home]), referral.assignee_code)
        if holder is None:
            return
        if not await transaction.referrals.add_copy(referral.referral_id, holder.code, HOUSEHOLD_REGISTRATION):
            return
        detail = {"copy_to": holder.code, "reason": HOUSEHOLD_REGISTRATION}
        await record_action(transaction, referral, ReferralAction.INFORMATION_COPY_SENT, SYSTEM_ACTOR, detail)


def _was_stored(referral: NewReferral, stored: dict) -> bool:
    """False when the report already had a referral, or another event of the batch opened it first."""
    row = stored.get(referral.report_id)
    return row is not None and row.referral_id == referral.referral_id
