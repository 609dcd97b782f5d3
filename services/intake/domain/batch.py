"""A batch of reports from the 12345 platform: each item is taken or refused on its own, by the rules of a single
report, and answered with its own result. Pure: no I/O.

An item is stored at most once per 12345 ticket, as a single report is: an item whose ticket was stored before
(by an earlier request, or by an earlier item of the same batch) answers that report when its body is the same,
and is refused naming `hotline_ticket_id` when it is not. A refused item stores nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from services.intake.domain.idempotency import EarlierUse, TicketReused, report_of_ticket
from shared.domain.problems import FieldProblem

MAX_ITEMS = 500
TICKET_REUSED = FieldProblem("hotline_ticket_id", "ticket_reused", TicketReused().message)


class ItemOutcome(StrEnum):
    CREATED = "created"  # stored now, announced once
    ACCEPTED_BEFORE = "accepted_before"  # the same ticket and body were stored before: that report
    REFUSED = "refused"  # nothing of it stored; `problems` names each bad field


@dataclass(frozen=True)
class ItemResult:
    index: int
    outcome: ItemOutcome
    report_id: UUID | None = None
    receipt_number: str | None = None  # a mandatory reporter's
    problems: tuple[FieldProblem, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """An item that passed every rule, with the id it gets if it is stored."""

    index: int
    report_id: UUID
    ticket: str | None
    request_hash: str
    receipt_number: str | None = None


@dataclass(frozen=True)
class Stored:
    """A report stored under a ticket, as an item of the same ticket finds it."""

    earlier: EarlierUse
    receipt_number: str | None


def refused(index: int, problems: Iterable[FieldProblem]) -> ItemResult:
    return ItemResult(index, ItemOutcome.REFUSED, problems=tuple(problems))


def to_insert(candidates: list[Candidate]) -> list[Candidate]:
    """The first item of each ticket and every item without one, by ticket: two batches that share tickets take
    their rows' locks in the same order, and never wait on each other in a circle."""
    firsts: dict[str, Candidate] = {}
    untracked = []
    for candidate in candidates:
        if candidate.ticket is None:
            untracked.append(candidate)
        else:
            firsts.setdefault(candidate.ticket, candidate)
    return [firsts[ticket] for ticket in sorted(firsts)] + untracked


def settle(candidates: list[Candidate], inserted: set[UUID], stored: dict[str, Stored]) -> list[ItemResult]:
    """Each candidate's result, once the insert is done: created if its row went in, else the report stored under
    its ticket (by an earlier request or item) when the bodies agree, else refused."""
    results = []
    for candidate in candidates:
        if candidate.report_id in inserted:
            results.append(
                ItemResult(candidate.index, ItemOutcome.CREATED, candidate.report_id, candidate.receipt_number)
            )
            continue
        found = stored[candidate.ticket]
        try:
            report_id = report_of_ticket(candidate.request_hash, found.earlier)
        except TicketReused:
            results.append(refused(candidate.index, [TICKET_REUSED]))
            continue
        results.append(ItemResult(candidate.index, ItemOutcome.ACCEPTED_BEFORE, report_id, found.receipt_number))
    return results


def all_stored(results: Iterable[ItemResult]) -> bool:
    """Whether every item is stored (now or before): the batch's answer is then plain success."""
    return all(result.outcome is not ItemOutcome.REFUSED for result in results)


def in_order(results: Iterable[ItemResult]) -> list[ItemResult]:
    return sorted(results, key=lambda result: result.index)
