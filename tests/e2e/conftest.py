from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.auth import bearer
from tests.e2e.system import RunningSystem, system_for_tests
from tests.receivers import Mailbox, smtp_server


# Package scope: the system stops before the integration tests start, so that its consumers do not
# answer their events too (every test shares the broker's topics).
@pytest.fixture(scope="package")
def mail() -> Iterator[Mailbox]:
    """The stations' mail server: a real SMTP server on this machine."""
    with smtp_server() as mailbox:
        yield mailbox


@pytest.fixture(scope="package")
async def system(infrastructure, new_database, mail) -> AsyncIterator[RunningSystem]:
    smtp = {"NOTIFICATION_SMTP_HOST": "127.0.0.1", "NOTIFICATION_SMTP_PORT": str(mail.port)}
    # A report is stuck after 5 seconds without a referral (not 2 minutes), for test_stuck_reports to see it soon.
    soon = {"INTAKE_NO_REFERRAL_AFTER_SECONDS": "5", "INTAKE_STUCK_CHECK_SECONDS": "0.5"}
    async with system_for_tests(
        infrastructure.kafka_bootstrap_servers, new_database, "e2e-logs", smtp | soon
    ) as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10, headers=bearer()) as client:
        yield client
