"""The fault scripts of `python -m reliability`, smaller, on a whole local system of their own: each report
that got a success answer is referred (or linked) exactly once with its deadlines, and no notice is sent
twice, whichever part was killed or restarted on the way."""

import os
import shutil
from collections.abc import Iterator

import pytest

from deploy.local.detached import DetachedSystem, detached_system
from deploy.local.process import REPO_ROOT
from reliability.faults import FAULTS
from reliability.report import render
from reliability.scenarios import Bounds, Outcome, run_scenario

BOUNDS = Bounds(rate=4, seconds=12, fault_after=4, down_for=3, settle_seconds=120)
ARTIFACTS = REPO_ROOT / "test-artifacts"
OUTCOMES: list[Outcome] = []


@pytest.fixture(scope="module")
def system() -> Iterator[DetachedSystem]:
    state = REPO_ROOT / ".run" / f"faults-test-{os.getpid()}"
    try:
        with detached_system(state) as running:
            yield running
        (ARTIFACTS / "RELIABILITY.md").write_text(render(OUTCOMES, BOUNDS, "./test tests/faults"))
    finally:
        shutil.copytree(state / "logs", ARTIFACTS / "faults-logs", dirs_exist_ok=True)  # for the privacy sweep
        shutil.rmtree(state, ignore_errors=True)


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
async def test_nothing_accepted_is_lost_or_duplicated(system, fault):
    outcome = await run_scenario(system, fault, BOUNDS, seed=FAULTS.index(fault))
    OUTCOMES.append(outcome)
    sent, counted = outcome.sent, outcome.counted
    assert sent.submissions and sent.given_up == 0, "every report was accepted in the end"
    assert counted.accepted == counted.stored_by_intake == counted.referred + counted.linked
    assert (counted.lost, counted.duplicated, sent.keys_with_two_reports) == (0, 0, 0)
    assert (counted.referrals_missing_deadlines, counted.duplicate_deadlines) == (0, 0)
    assert counted.duplicate_notices == 0 and counted.notices_delivered == counted.assignment_notices
    assert counted.unpublished_outbox == 0
