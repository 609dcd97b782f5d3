"""Carrying out an action on a referral: the referral loaded and locked (so that two clicks cannot both
close it), the domain's decision, then its effects in one transaction: the referral, its history, the
audit trail and the outbox."""

from collections.abc import Callable
from uuid import UUID

from services.referral.application.ports import Transaction, Transactions
from services.referral.application.recording import record_action
from services.referral.domain.changes import ActionContext, Change, RoutingNeeded
from services.referral.domain.events import placement
from services.referral.domain.gazetteer import Gazetteer
from services.referral.domain.lifecycle import NO_SUCH_REFERRAL
from services.referral.domain.referral import Referral
from services.referral.domain.resolver import resolve
from services.referral.domain.routing import Routing, route
from shared.domain.access import Principal
from shared.domain.problems import NotFound
from shared.events import utcnow

# One of Referral's action methods with the request's values bound, e.g.
# `lambda referral, context: referral.close(context, outcome, notes)`.
Decide = Callable[[Referral, ActionContext], Change | RoutingNeeded]


class Act:
    def __init__(self, transactions: Transactions, gazetteer: Callable[[], Gazetteer]) -> None:
        self.transactions = transactions
        self.gazetteer = gazetteer

    async def __call__(self, referral_id: UUID, caller: Principal, decide: Decide) -> Referral:
        """The referral as the action left it."""
        async with self.transactions.begin() as transaction:
            referral = await transaction.referrals.locked(referral_id)
            if referral is None:
                raise NotFound(NO_SUCH_REFERRAL)
            context = ActionContext(caller, utcnow(), self.gazetteer())
            decision = decide(referral, context)
            if isinstance(decision, RoutingNeeded):
                decision = decision.then(await self._routing(transaction, context.gazetteer, decision.division_code))
            updated = await transaction.referrals.update(referral_id, decision.fields)
            await record_action(
                transaction, updated, decision.action, context.actor, decision.detail, decision.notes, caller.name
            )
            await transaction.audit(caller, decision.action.value, [referral_id])
            if decision.moved:
                await transaction.outbox.put([(placement(updated, decision.moved), str(referral_id))])
            return updated

    async def _routing(self, transaction: Transaction, gazetteer: Gazetteer, division_code: str) -> Routing:
        stations = await transaction.stations.covering([division_code])
        return route(resolve(gazetteer, None, division_code), stations)
