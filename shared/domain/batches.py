"""Applying a batch of events together where that is safe, and one by one, in order, where it is not."""

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

T = TypeVar("T")


def together_and_alone(
    items: Iterable[T], key: Callable[[T], Hashable | None], simple: Callable[[T], bool]
) -> tuple[list[T], list[T]]:
    """Splits a batch: the items that are simple and the only one of their key in the batch go together;
    the rest (a key seen twice, or an item that needs more care) go alone, in the batch's order.
    An item without a key is alone in its key."""
    items = list(items)
    per_key = Counter(key(item) for item in items)
    together, alone = [], []
    for item in items:
        item_key = key(item)
        unique = item_key is None or per_key[item_key] == 1
        (together if unique and simple(item) else alone).append(item)
    return together, alone
