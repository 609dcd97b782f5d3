"""At most once per Idempotency-Key and per 12345 ticket: a retry of the same request gets the first report
back; another request under a key or a ticket already used is refused, and nothing of it is kept."""

from dataclasses import dataclass
from uuid import UUID

from shared.domain.problems import Conflict

HEADER = "Idempotency-Key"
# Visible ASCII only: a key is stored and compared, so no control character, space or other script reaches the table.
KEY_PATTERN = r"^[!-~]{1,100}$"


@dataclass(frozen=True)
class IdempotencyKey:
    key: str
    request_hash: str  # of the request the key came with


@dataclass(frozen=True)
class EarlierUse:
    request_hash: str | None  # None for a report stored before requests were fingerprinted
    report_id: UUID


class IdempotencyKeyReused(Conflict):
    """The Idempotency-Key was used before for a different report."""

    def __init__(self) -> None:
        super().__init__("该 Idempotency-Key 已用于另一份报告")


class TicketReused(Conflict):
    """The 12345 ticket was filed before with a different body: the change would be silently dropped."""

    def __init__(self) -> None:
        super().__init__("该工单号（hotline_ticket_id）已用于内容不同的报告；重发同一工单须与第一次完全相同")


def report_of_retry(key: IdempotencyKey, earlier: EarlierUse) -> UUID:
    if earlier.request_hash != key.request_hash:
        raise IdempotencyKeyReused
    return earlier.report_id


def report_of_ticket(request_hash: str, earlier: EarlierUse) -> UUID:
    if earlier.request_hash is not None and earlier.request_hash != request_hash:
        raise TicketReused
    return earlier.report_id
