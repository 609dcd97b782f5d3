"""Carrying out an action on a referral: the referral loaded and locked (so that two clicks cannot both
close it), the domain's decision, then its effects in one transaction: the referral, its history, the
audit trail and the outbox."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from services.referral.application.ports import Transaction, Transactions
from services.referral.application.queries import ReferralCase, case_of
from services.referral.application.recording import record_action
from services.referral.domain.changes import ActionContext, Change, DirectorNeeded, RoutingNeeded
from services.referral.domain.events import placement
from services.referral.domain.gazetteer import Gazetteer
from services.referral.domain.idempotency import Answer, KeyedRequest, replayed
from services.referral.domain.lifecycle import NO_SUCH_REFERRAL, refuse_unseen
from services.referral.domain.referral import Referral
from services.referral.domain.resolver import resolve
from services.referral.domain.routing import Routing, route
from shared.domain.access import Principal
from shared.domain.problems import NotFound
from shared.events import utcnow

# One of Referral's action methods with the request's values bound, e.g.
# `lambda referral, context: referral.close(context, outcome, notes)`.
Decide = Callable[[Referral, ActionContext], Change | RoutingNeeded | DirectorNeeded]
# The answer's body, as the caller sees the case after the action.
Render = Callable[[ReferralCase], dict[str, Any]]


class Act:
    def __init__(self, transactions: Transactions, gazetteer: Callable[[], Gazetteer]) -> None:
        self.transactions = transactions
        self.gazetteer = gazetteer

    async def __call__(self, referral_id: UUID, caller: Principal, decide: Decide) -> Referral:
        """The referral as the action left it."""
        async with self.transactions.begin() as transaction:
            return await self._act(transaction, referral_id, caller, decide)

    async def answered(
        self, referral_id: UUID, caller: Principal, decide: Decide, render: Render, request: KeyedRequest | None
    ) -> Answer:
        """The answer to the action, rendered from the case as it left it; under an Idempotency-Key, kept in the
        action's transaction, and a request sent again gets it again and changes nothing. A refusal is not
        kept: it changed nothing, and asking again decides again."""
        async with self.transactions.begin() as transaction:
            earlier = await transaction.answers.claim(request) if request else None
            if request and earlier:
                answer = replayed(request, *earlier)
                await transaction.audit(caller, "read", [referral_id])  # the answer shows the case again
                return answer
            referral = await self._act(transaction, referral_id, caller, decide)
            answer = Answer(200, render(await case_of(transaction.reads, referral, caller)))
            if request:
                await transaction.answers.keep(request, answer)
            return answer

    async def _act(self, transaction: Transaction, referral_id: UUID, caller: Principal, decide: Decide) -> Referral:
        referral = await transaction.referrals.locked(referral_id)
        if referral is None:
            raise NotFound(NO_SUCH_REFERRAL)
        if not referral.visible_to(caller):
            refuse_unseen(caller, await transaction.referrals.former_holders(referral_id))
        context = ActionContext(caller, utcnow(), self.gazetteer())
        decision = decide(referral, context)
        if isinstance(decision, RoutingNeeded):
            decision = decision.then(await self._routing(transaction, context.gazetteer, decision.division_code))
        elif isinstance(decision, DirectorNeeded):
            decision = decision.then(await transaction.directors.is_active(decision.village_code))
        if decision.task:
            await transaction.tasks.record(referral_id, decision.task, context.now)
        if decision.moved:  # a village of the township it leaves has nothing more to do for it
            await transaction.tasks.close_all(referral_id, context.now)
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
