"""SMTP connections kept open: reused, checked after idling, replaced when the server dropped them, closed."""

import pytest
from aiosmtplib import SMTPReadTimeoutError, SMTPRecipientsRefused, SMTPResponse, SMTPServerDisconnected

from services.notification.adapters.channels.smtp_connections import SmtpConnections


class FakeServer:
    """Answers every client's commands; `answers` overrides the next answers to a command by name."""

    def __init__(self) -> None:
        self.clients: list[FakeClient] = []
        self.answers: dict[bytes, list[int | Exception]] = {}
        self.delivered: list[tuple[int, bytes]] = []  # (client number, message)

    def client(self) -> "FakeClient":
        self.clients.append(FakeClient(self, len(self.clients)))
        return self.clients[-1]


class FakeClient:
    def __init__(self, server: FakeServer, number: int) -> None:
        self.server, self.number, self.commands = server, number, []
        self.is_connected = False
        self.is_ehlo_or_helo_needed = True

    async def connect(self) -> None:
        self.is_connected = True

    async def ehlo(self) -> None:
        self.is_ehlo_or_helo_needed = False

    def supports_extension(self, name: str) -> bool:
        return name == "size"

    async def execute_command(self, *args: bytes) -> SMTPResponse:
        self.commands.append(args[0])
        scripted = self.server.answers.get(args[0])
        answer = scripted.pop(0) if scripted else 250
        if isinstance(answer, Exception):
            self.close()
            raise answer
        if answer == 421:
            self.close()
        return SMTPResponse(answer, "scripted")

    async def data(self, data: bytes) -> None:
        await self.execute_command(b"DATA")
        self.server.delivered.append((self.number, data))

    async def noop(self) -> None:
        await self.execute_command(b"NOOP")

    async def rset(self) -> None:
        await self.execute_command(b"RSET")

    async def quit(self) -> None:
        await self.execute_command(b"QUIT")
        self.close()

    def close(self) -> None:
        self.is_connected = False


@pytest.fixture
def server():
    return FakeServer()


def connections(server: FakeServer, now: list[float] | None = None) -> SmtpConnections:
    now = now if now is not None else [0.0]
    return SmtpConnections(server.client, size=2, check_after=30, clock=lambda: now[0])


async def send(pool: SmtpConnections, text: bytes = b"message") -> None:
    await pool.send("noreply@child-protection.invalid", "dazhai@example.org", text, [])


async def test_messages_one_after_another_share_one_connection(server):
    pool = connections(server)
    for number in range(5):
        await send(pool, b"message %d" % number)
    assert [client for client, _ in server.delivered] == [0] * 5 and pool.opened == 1
    assert server.clients[0].commands.count(b"MAIL") == 5


async def test_a_connection_idle_for_a_while_is_checked_with_noop_and_replaced_when_dead(server):
    now = [0.0]
    pool = connections(server, now)
    await send(pool)
    now[0] = 31.0
    await send(pool)
    assert server.clients[0].commands.count(b"NOOP") == 1 and pool.opened == 1
    now[0] = 62.0
    server.answers[b"NOOP"] = [SMTPServerDisconnected("gone")]
    await send(pool)
    assert [client for client, _ in server.delivered] == [0, 0, 1]


@pytest.mark.parametrize("drop", [SMTPServerDisconnected("gone"), 421])
async def test_a_message_on_a_connection_the_server_dropped_goes_again_on_a_new_one(server, drop):
    pool = connections(server)
    await send(pool)
    server.answers[b"MAIL"] = [drop]
    await send(pool, b"second")
    assert server.delivered[-1] == (1, b"second") and not server.clients[0].is_connected


async def test_a_refused_recipient_fails_the_message_and_keeps_the_connection(server):
    pool = connections(server)
    server.answers[b"RCPT"] = [550]
    with pytest.raises(SMTPRecipientsRefused):
        await send(pool)
    await send(pool)
    assert server.clients[0].commands[-5:-3] == [b"RCPT", b"RSET"] and pool.opened == 1


async def test_a_timeout_is_not_tried_again_and_its_connection_is_not_reused(server):
    pool = connections(server)
    await send(pool)
    server.answers[b"DATA"] = [SMTPReadTimeoutError("slow")]
    with pytest.raises(SMTPReadTimeoutError):
        await send(pool)
    await send(pool)
    assert [client for client, _ in server.delivered] == [0, 1] and pool.opened == 2


async def test_close_says_quit_and_keeps_no_connection_open_after(server):
    pool = connections(server)
    await send(pool)
    await pool.close()
    assert server.clients[0].commands[-1] == b"QUIT" and not server.clients[0].is_connected
    await send(pool)  # a message still on its way when the service stops
    assert server.delivered[-1][0] == 1 and not server.clients[1].is_connected
