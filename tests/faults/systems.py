"""What the fault tests share: a whole local system of their own, brought down and its logs kept for the
privacy sweep, and what every outcome must show."""

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator

from deploy.local.detached import DetachedSystem, detached_system
from deploy.local.process import REPO_ROOT
from reliability.scenarios import Bounds, Outcome

BOUNDS = Bounds(rate=4, seconds=12, fault_after=4, down_for=3, settle_seconds=120)
ARTIFACTS = REPO_ROOT / "test-artifacts"


@contextlib.contextmanager
def fault_system(name: str, report: str, write_report: Callable[[], str], **size: int) -> Iterator[DetachedSystem]:
    """A fresh system in `.run/<name>-<pid>`; afterwards its counts in `test-artifacts/<report>` and its logs
    in `test-artifacts/<name>-logs/`."""
    state = REPO_ROOT / ".run" / f"{name}-{os.getpid()}"
    try:
        with detached_system(state, **size) as running:
            yield running
        (ARTIFACTS / report).write_text(write_report())
    finally:
        shutil.copytree(state / "logs", ARTIFACTS / f"{name}-logs", dirs_exist_ok=True)  # for the privacy sweep
        shutil.rmtree(state, ignore_errors=True)


def assert_nothing_lost_or_duplicated(outcome: Outcome) -> None:
    sent, counted = outcome.sent, outcome.counted
    assert sent.submissions and sent.given_up == 0, "every report was accepted in the end"
    assert counted.accepted == counted.stored_by_intake == counted.referred + counted.linked
    assert (counted.lost, counted.duplicated, sent.keys_with_two_reports) == (0, 0, 0)
    assert (counted.referrals_missing_deadlines, counted.duplicate_deadlines) == (0, 0)
    assert counted.duplicate_notices == 0 and counted.notices_delivered == counted.assignment_notices
    assert counted.unpublished_outbox == 0
