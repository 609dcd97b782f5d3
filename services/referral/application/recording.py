"""Recording an action on a referral: in its history (with the notes) and in the outbox (without them)."""

from services.referral.application.ports import Transaction
from services.referral.domain.changes import Detail, HistoryEntry
from services.referral.domain.events import action_recorded
from services.referral.domain.referral import Referral
from shared.domain.referrals import ReferralAction
from shared.events import utcnow


async def record_action(
    transaction: Transaction,
    referral: Referral,
    action: ReferralAction,
    actor: str,
    detail: Detail,
    notes: str | None = None,
    person: str = "",
) -> None:
    """The history keeps the notes and the person's name (`by`); the event carries neither."""
    kept = detail | ({"notes": notes} if notes else {}) | ({"by": person} if person else {})
    entry = HistoryEntry(referral.referral_id, action.value, actor, kept)
    await transaction.referrals.append_history([entry])
    event = action_recorded(referral, action, actor, detail, at=utcnow())
    await transaction.outbox.put([(event, str(referral.referral_id))])
