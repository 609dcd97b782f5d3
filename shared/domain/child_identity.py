"""Which reports are about the same child: the ID number; else the name with the birth date (or age) and
the township. Intake keys a child's events with it and referral links a child's reports by it.

The key is a keyed hash (HMAC-SHA256 with the child-key secret, kept apart from any encryption key), so it
reveals nothing and is stored instead of what it was made from.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

from shared.domain.divisions import township_of


@dataclass(frozen=True)
class ChildFacts:
    id_number: str | None = None
    name: str | None = None
    birth_date: date | None = None
    age: int | None = None


def child_identity(secret: bytes, child: ChildFacts, division_code: str | None) -> str | None:
    """The child's key, or None when the report says too little to tell the child apart."""
    basis = _basis(child, township_of(division_code))
    if basis is None:
        return None
    return hmac.new(secret, basis.encode(), hashlib.sha256).hexdigest()[:32]


def _basis(child: ChildFacts, township: str | None) -> str | None:
    if child.id_number:
        return f"id:{child.id_number.upper()}"
    born = child.birth_date or child.age
    name = (child.name or "").strip()
    if name and born is not None and township:
        return f"name:{name}|{born}|{township}"
    return None
