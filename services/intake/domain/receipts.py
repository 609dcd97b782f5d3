"""A mandatory reporter's receipt: a number short enough to read aloud and hard to guess, a check character
that catches a mistyped one, the phone kept only as a keyed hash, and how often anyone may look. Pure: no I/O.

A lookup answers how far the report has come, in words, and the date: never anything about the child.
"""

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from shared.domain.codes import Milestone
from shared.timezones import CHINA

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, no 1/I: nothing to mix up when read aloud
RANDOM_CHARACTERS = 11  # 32**11, about 3.6e16 numbers
GROUP = 4  # shown as XXXX-XXXX-XXXX
PATTERN = rf"^[{ALPHABET}]{{{RANDOM_CHARACTERS + 1}}}$"


class ReceiptStatus(StrEnum):
    RECEIVED = "received"
    BEING_HANDLED = "being_handled"
    CLOSED = "closed"


STATUS_OF = {
    Milestone.RECEIVED: ReceiptStatus.RECEIVED,
    Milestone.ACKNOWLEDGED: ReceiptStatus.BEING_HANDLED,
    Milestone.REOPENED: ReceiptStatus.BEING_HANDLED,
    Milestone.CLOSED: ReceiptStatus.CLOSED,
}
WORDS = {ReceiptStatus.RECEIVED: "已受理", ReceiptStatus.BEING_HANDLED: "正在办理", ReceiptStatus.CLOSED: "已办结"}


def check_character(body: str) -> str:
    """Luhn mod 32: any one character wrong, and nearly any two neighbours swapped, give another check character."""
    total, factor = 0, 2
    for character in reversed(body):
        addend = factor * ALPHABET.index(character)
        total += addend // len(ALPHABET) + addend % len(ALPHABET)
        factor = 3 - factor
    return ALPHABET[(len(ALPHABET) - total % len(ALPHABET)) % len(ALPHABET)]


def new_receipt_number(random_below: Callable[[int], int]) -> str:
    """`random_below` is secrets.randbelow in the service."""
    body = "".join(ALPHABET[random_below(len(ALPHABET))] for _ in range(RANDOM_CHARACTERS))
    return body + check_character(body)


def normalise_receipt(value: str) -> str:
    """As people type it: any case, with spaces or hyphens between the groups."""
    return value.upper().replace("-", "").replace(" ", "")


def is_well_formed(number: str) -> bool:
    return len(number) == RANDOM_CHARACTERS + 1 and number[-1] == check_character(number[:-1])


def shown(number: str) -> str:
    return "-".join(number[start : start + GROUP] for start in range(0, len(number), GROUP))


def phone_hash(key: bytes, phone: str) -> str:
    return hmac.new(key, b"receipt-phone:" + phone.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ReceiptAnswer:
    status: ReceiptStatus
    status_text: str
    date: str  # the day of that step, in China


def receipt_answer(milestone: Milestone, at: datetime) -> ReceiptAnswer:
    status = STATUS_OF[milestone]
    return ReceiptAnswer(status, WORDS[status], at.astimezone(CHINA).date().isoformat())


class TooManyLookups(Exception):
    """Too many lookups from one place, or of one receipt, in the window."""


def phone_matches(stored_hash: str | None, key: bytes, phone: str) -> bool:
    return stored_hash is not None and hmac.compare_digest(stored_hash, phone_hash(key, phone))
