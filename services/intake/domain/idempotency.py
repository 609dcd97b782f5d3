"""At most once per Idempotency-Key: a caller's retry under the same key gets the first report back; another
request under a key already used is refused."""

from dataclasses import dataclass
from uuid import UUID

from shared.domain.problems import Conflict


@dataclass(frozen=True)
class IdempotencyKey:
    key: str
    request_hash: str  # of the request the key came with


@dataclass(frozen=True)
class EarlierUse:
    request_hash: str
    report_id: UUID


class IdempotencyKeyReused(Conflict):
    """The Idempotency-Key was used before for a different report."""

    def __init__(self) -> None:
        super().__init__("该 Idempotency-Key 已用于另一份报告")


def report_of_retry(key: IdempotencyKey, earlier: EarlierUse) -> UUID:
    if earlier.request_hash != key.request_hash:
        raise IdempotencyKeyReused
    return earlier.report_id
