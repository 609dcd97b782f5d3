"""Failures that mean the database or the network is away for now: wait and try again, never give up."""

import asyncpg

OUTAGES = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,  # the server is shutting down: it will be back
    asyncpg.CrashShutdownError,
)
