"""Actions sent again: a caller may send an action with an Idempotency-Key, so that sending it again (a phone
that did not hear the answer, a queue drained after the village) answers what the first answered and changes
nothing. The same key for another request is refused: it would hide the second request."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from shared.domain.access import Principal
from shared.domain.problems import FieldProblems, invalid

HEADER = "Idempotency-Key"
KEY_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


@dataclass(frozen=True)
class KeyedRequest:
    """An action request under a caller's key; `fingerprint` stands for its path and body."""

    caller: str
    key: str
    fingerprint: str


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def keyed(caller: Principal, key: str, path: str, body: dict[str, Any]) -> KeyedRequest:
    """Keys are the caller's own: the person's subject, or the role and scope of a token without one."""
    owner = caller.subject or f"{caller.role.value}:{caller.scope}"
    text = json.dumps({"path": path, "body": body}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return KeyedRequest(owner, key, hashlib.sha256(text.encode()).hexdigest())


def replayed(request: KeyedRequest, fingerprint: str, answer: Answer | None) -> Answer:
    """What a request answers when its key was used before: the answer kept, when it was the same request."""
    if fingerprint != request.fingerprint or answer is None:
        raise key_reused()
    return answer


def key_reused() -> FieldProblems:
    return invalid(HEADER, "idempotency_key_reused", "该幂等键已用于另一项操作，请为新操作使用新的键")
