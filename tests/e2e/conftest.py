from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from deploy.local.process import REPO_ROOT
from tests.auth import bearer
from tests.e2e.system import SERVICES, RunningSystem, start_system
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
    databases = {service: await new_database(service) for service in SERVICES}
    smtp = {"NOTIFICATION_SMTP_HOST": "127.0.0.1", "NOTIFICATION_SMTP_PORT": str(mail.port)}
    logs = REPO_ROOT / "test-artifacts" / "e2e-logs"
    running = start_system(infrastructure.kafka_bootstrap_servers, databases, logs, smtp)
    yield running
    running.stop()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10, headers=bearer()) as client:
        yield client
