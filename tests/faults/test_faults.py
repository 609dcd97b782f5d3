"""The fault scripts of `python -m reliability`, smaller, on a whole local system of their own: each report
that got a success answer is referred (or linked) exactly once with its deadlines, and no notice is sent
twice, whichever part was killed or restarted on the way."""

from collections.abc import Iterator

import pytest

from deploy.local.detached import DetachedSystem
from reliability.faults import FAULTS
from reliability.report import render
from reliability.scenarios import Outcome, run_scenario
from tests.faults.systems import BOUNDS, assert_nothing_lost_or_duplicated, fault_system

OUTCOMES: list[Outcome] = []


@pytest.fixture(scope="module")
def system() -> Iterator[DetachedSystem]:
    report = lambda: render(OUTCOMES, BOUNDS, "./test tests/faults")  # noqa: E731
    with fault_system("faults", "RELIABILITY.md", report) as running:
        yield running


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
async def test_nothing_accepted_is_lost_or_duplicated(system, fault):
    outcome = await run_scenario(system, fault, BOUNDS, seed=FAULTS.index(fault))
    OUTCOMES.append(outcome)
    assert_nothing_lost_or_duplicated(outcome)
