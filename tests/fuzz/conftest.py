"""A system of its own for the tests that throw generated and unauthorised requests at every endpoint: what
they change (policies, calendars, directory entries) stays out of the other tests' way."""

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.e2e.system import RunningSystem, system_for_tests
from tests.receivers import Mailbox, smtp_server


@pytest.fixture(scope="package")
def mail() -> Iterator[Mailbox]:
    with smtp_server() as mailbox:
        yield mailbox


@pytest.fixture(scope="package")
async def system(infrastructure, new_database, mail) -> AsyncIterator[RunningSystem]:
    smtp = {"NOTIFICATION_SMTP_HOST": "127.0.0.1", "NOTIFICATION_SMTP_PORT": str(mail.port)}
    async with system_for_tests(infrastructure.kafka_bootstrap_servers, new_database, "fuzz-logs", smtp) as running:
        yield running
