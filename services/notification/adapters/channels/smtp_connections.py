"""SMTP connections kept open and reused from one message to the next.

A message takes an open connection or opens one (at most `size` at once); a connection idle for
`check_after` seconds is checked with NOOP first. When the server has dropped a reused connection (closed
it, or answered 421), the message goes once more over a new one: it cannot have been accepted, or the
receiver deduplicates on its Message-ID. A connection is closed on any failure but the server refusing the
message itself, and all of them on `close`.
"""

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiosmtplib import (
    SMTP,
    SMTPException,
    SMTPHeloError,
    SMTPNotSupported,
    SMTPRecipientRefused,
    SMTPRecipientsRefused,
    SMTPResponseException,
    SMTPSenderRefused,
)

_CLOSING = 421  # "service not available, closing transmission channel"


@dataclass
class _Open:
    client: SMTP
    used_at: float


class SmtpConnections:
    def __init__(
        self,
        new_client: Callable[[], SMTP],
        size: int = 4,
        check_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._new_client, self._check_after, self._clock = new_client, check_after, clock
        self._slots = asyncio.Semaphore(size)
        self._idle: list[_Open] = []
        self._closed = False
        self.opened = 0  # connections made so far, for tests and the benchmark

    async def send(self, sender: str, recipient: str, data: bytes, options: list[str]) -> None:
        async with self._slots:
            reused = await self._reused()
            if reused is not None:
                try:
                    await self._send_on(reused, sender, recipient, data, options)
                    return
                except (SMTPException, OSError) as error:
                    if not _dropped(error):
                        raise
            await self._send_on(await self._opened(), sender, recipient, data, options)

    async def close(self) -> None:
        """Says QUIT on every idle connection; one in use is closed when its message is done."""
        self._closed = True
        idle, self._idle = self._idle, []
        for held in idle:
            try:
                await held.client.quit()
            except (SMTPException, OSError):
                pass
            finally:
                held.client.close()

    async def _send_on(self, held: _Open, sender: str, recipient: str, data: bytes, options: list[str]) -> None:
        try:
            await send_one(held.client, sender, recipient, data, options)
        except (SMTPResponseException, SMTPRecipientsRefused) as refused:
            self._keep_or_close(held, reusable=held.client.is_connected and not _dropped(refused))
            raise
        except BaseException:  # a broken connection, or a timeout midway: its state is unknown
            held.client.close()
            raise
        self._keep_or_close(held, reusable=True)

    async def _reused(self) -> _Open | None:
        while self._idle:
            held = self._idle.pop()
            if not held.client.is_connected:
                continue
            if self._clock() - held.used_at < self._check_after:
                return held
            try:
                await held.client.noop()
            except BaseException as error:
                held.client.close()
                if not isinstance(error, (SMTPException, OSError)):
                    raise
                continue
            return held
        return None

    async def _opened(self) -> _Open:
        client = self._new_client()
        await client.connect()  # it closes itself when connecting fails
        self.opened += 1
        return _Open(client, self._clock())

    def _keep_or_close(self, held: _Open, reusable: bool) -> None:
        if reusable and not self._closed:
            held.used_at = self._clock()
            self._idle.append(held)
        else:
            held.client.close()


async def send_one(client: SMTP, sender: str, recipient: str, data: bytes, options: list[str]) -> None:
    """MAIL, RCPT and DATA for one recipient whose address is checked already (aiosmtplib's `sendmail` parses
    both addresses again, four times a message). A refusal resets the envelope, as `sendmail` does."""
    if client.is_ehlo_or_helo_needed:
        try:
            await client.ehlo()
        except SMTPHeloError:
            await client.helo()
    if "SMTPUTF8" in options and not client.supports_extension("smtputf8"):
        raise SMTPNotSupported("SMTPUTF8 is not supported by this server")
    encoding = "utf-8" if "SMTPUTF8" in options else "ascii"
    size = [f"SIZE={len(data)}"] if client.supports_extension("size") else []
    try:
        mail = [f"FROM:<{sender}>".encode(encoding), *(option.encode() for option in size + options)]
        if (answer := await client.execute_command(b"MAIL", *mail)).code != 250:
            raise SMTPSenderRefused(answer.code, answer.message, sender)
        rcpt = f"TO:<{recipient}>".encode(encoding)
        if (answer := await client.execute_command(b"RCPT", rcpt)).code not in (250, 251):
            raise SMTPRecipientsRefused([SMTPRecipientRefused(answer.code, answer.message, recipient)])
        await client.data(data)
    except (SMTPResponseException, SMTPRecipientsRefused):
        if client.is_connected:
            with contextlib.suppress(SMTPException, OSError):
                await client.rset()
        raise


def _dropped(error: BaseException) -> bool:
    """Closed by the server (a timeout is not: trying again would only wait as long once more)."""
    closed = isinstance(error, OSError) and not isinstance(error, TimeoutError)
    return closed or getattr(error, "code", None) == _CLOSING
