"""Which townships have a village whose name begins with two given characters: the few townships whose villages
are worth looking for in a caller's text. 600,000 (head, township) pairs are kept as one sorted array of numbers,
8 bytes each, where a dict of lists took about 50."""

from array import array
from bisect import bisect_left
from collections.abc import Iterable

HEAD_LENGTH = 2
TOWNSHIP_BITS = 20  # room for a million townships with villages (China has about 41,000)
TOWNSHIP_MASK = (1 << TOWNSHIP_BITS) - 1


def _key(head: str) -> int:
    """Two characters (21 bits each), shifted above a township's place in the sorted list of townships."""
    return (ord(head[0]) << 21 | ord(head[1])) << TOWNSHIP_BITS


class TownshipsByVillageHead:
    def __init__(self, townships: list[str]) -> None:
        self.townships = sorted(townships)
        self._pending: list[int] = []
        self._entries = array("Q")

    def add(self, township_index: int, villages: Iterable[str]) -> None:
        """The villages of the township at `township_index` in `townships`."""
        self._pending.extend(_key(head) | township_index for head in {village[:HEAD_LENGTH] for village in villages})

    def freeze(self) -> None:
        self._entries = array("Q", sorted(self._pending))
        self._pending = []

    def begun_in(self, text: str, area: str) -> set[str]:
        """The townships in the area (a code prefix) with a village whose name begins somewhere in the text."""
        first, beyond = bisect_left(self.townships, area), bisect_left(self.townships, area + ":")
        found: set[str] = set()
        for head in {text[i : i + HEAD_LENGTH] for i in range(len(text) - HEAD_LENGTH + 1)}:
            key = _key(head)
            start, end = bisect_left(self._entries, key | first), bisect_left(self._entries, key | beyond)
            found.update(self.townships[entry & TOWNSHIP_MASK] for entry in self._entries[start:end])
        return found
