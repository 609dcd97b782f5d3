from collections.abc import AsyncIterator

import httpx
import pytest

from deploy.local.process import REPO_ROOT
from tests.auth import bearer
from tests.e2e.system import SERVICES, RunningSystem, start_system


# Package scope: the system stops before the integration tests start, so that its consumers do not
# answer their events too (every test shares the broker's topics).
@pytest.fixture(scope="package")
async def system(infrastructure, new_database) -> AsyncIterator[RunningSystem]:
    databases = {service: await new_database(service) for service in SERVICES}
    running = start_system(infrastructure.kafka_bootstrap_servers, databases, REPO_ROOT / "test-artifacts" / "e2e-logs")
    yield running
    running.stop()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10, headers=bearer()) as client:
        yield client
