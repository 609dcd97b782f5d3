"""PostgreSQL access: connection pools, databases and migrations (yoyo, plain SQL files)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import asyncpg
from yoyo import get_backend, read_migrations

from shared import outbox

SHARED_MIGRATIONS = Path(__file__).parent / "migrations"
TLS_FILES = ("sslrootcert", "sslcert", "sslkey", "sslcrl")  # query parameters naming files


@asynccontextmanager
async def one_transaction(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A single connection in one transaction, for command-line loaders."""
    connection = await asyncpg.connect(_with_tls_files(database_url))
    try:
        async with connection.transaction():
            yield connection
    finally:
        await connection.close()


async def create_pool(database_url: str, max_size: int = 10) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        _with_tls_files(database_url), min_size=1, max_size=max_size, command_timeout=15, reset=_keep_session_state
    )


async def _keep_session_state(connection: asyncpg.Connection) -> None:
    """Replaces asyncpg's reset query, a round trip on every release. The pool still rolls back an unfinished
    transaction; the services set no session settings and take only transaction-scoped advisory locks, so
    there is nothing else to reset. A connection that wrote outbox rows wakes the relay here."""
    outbox.released(connection)


def apply_migrations(database_url: str, service_migrations: Path) -> None:
    """Applies the shared tables (outbox, processed events) and then the service's own."""
    backend = get_backend(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        migrations = read_migrations(str(SHARED_MIGRATIONS), str(service_migrations))
        with backend.lock():
            backend.apply_migrations(backend.to_apply(migrations))
    finally:
        backend.connection.close()  # not left to the collector: a template database must have no session left


async def ensure_database(admin_url: str, name: str) -> str:
    """Creates the database if missing and returns its URL (same server and user as admin_url)."""
    connection = await asyncpg.connect(_with_tls_files(admin_url))
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return database_url_for(admin_url, name)


def database_url_for(admin_url: str, name: str) -> str:
    """Keeps the query: `sslmode` and `sslrootcert` there are how every connection asks for TLS."""
    return urlsplit(admin_url)._replace(path=f"/{name}").geturl()


def _with_tls_files(database_url: str) -> str:
    """The URL, once the certificate files it names exist: asyncpg's error for a missing one names no file."""
    for name, paths in parse_qs(urlsplit(database_url).query).items():
        missing = [path for path in paths if name in TLS_FILES and not Path(path).is_file()]
        if missing:
            raise FileNotFoundError(f"{name} of the database URL: no file {missing[0]}")
    return database_url
