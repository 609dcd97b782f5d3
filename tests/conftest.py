"""Test policy: unit tests touch no I/O; integration and end-to-end tests run on real Kafka and
PostgreSQL (see tests/infra.py for where they come from). Nothing is skipped for want of either."""

import uuid
from collections.abc import Iterator

import pytest

from shared.database import ensure_database
from tests.infra import Infrastructure, provide_infrastructure


@pytest.fixture(scope="session")
def infrastructure() -> Iterator[Infrastructure]:
    with provide_infrastructure() as infra:
        yield infra


@pytest.fixture(scope="session")
def new_database(infrastructure: Infrastructure):
    """Makes a fresh, uniquely named database and returns its URL."""

    async def make(prefix: str) -> str:
        name = f"t_{prefix}_{uuid.uuid4().hex[:10]}"
        return await ensure_database(infrastructure.database_url, name)

    return make
