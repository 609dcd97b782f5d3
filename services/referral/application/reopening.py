"""A reporter who was not satisfied when the hotline called back (回访) has the case opened again for the
county centre's review: announced as REOPENED and as a placement with the centre (reason "reopened"), so
that notification starts the centre's clocks. Each callback is applied once, in the transaction that marks
it processed; one about a report referral never saw is marked and left."""

from services.referral.application.ports import Transaction, Transactions
from services.referral.application.recording import record_action
from services.referral.domain.closing import CALLBACK_ACTOR, reviewing_centre
from services.referral.domain.events import placement
from services.referral.domain.referral import Referral
from shared.domain.codes import Satisfaction
from shared.events import CallbackRecorded, utcnow


class Reopener:
    def __init__(self, transactions: Transactions) -> None:
        self.transactions = transactions

    async def on_callbacks(self, callbacks: list[CallbackRecorded]) -> None:
        async with self.transactions.begin() as transaction:
            dissatisfied = [
                callback
                for callback in await transaction.claim(callbacks)
                if callback.reached and callback.satisfaction is Satisfaction.DISSATISFIED
            ]
            found = [
                (callback, referral)
                for callback in dissatisfied
                if (referral := await transaction.referrals.referral_of_report(callback.report_id)) is not None
            ]
            # The children are held, all at once as referring holds them, before their referrals are locked:
            # a report about the child waits, and then links to the reopened referral.
            await transaction.hold([referral.child_key for _, referral in found if referral.child_key])
            for callback, referral in found:
                await self._reopen(transaction, referral, callback)

    async def _reopen(self, transaction: Transaction, found: Referral, callback: CallbackRecorded) -> None:
        referral = await transaction.referrals.locked(found.referral_id)
        if referral is None:
            return
        centre_code = reviewing_centre(referral)
        stations = await transaction.stations.covering([centre_code]) if centre_code else {}
        change = referral.reopen(stations.get(centre_code or ""), callback.report_id, utcnow())
        updated = await transaction.referrals.update(referral.referral_id, change.fields)
        await record_action(transaction, updated, change.action, CALLBACK_ACTOR, change.detail)
        if change.moved is not None:
            await transaction.outbox.put([(placement(updated, change.moved), str(updated.referral_id))])
