"""E-mail over a real SMTP server (aiosmtpd): several notices over one connection kept open, read back as
sent, and a connection the server dropped replaced by a new one without losing a notice."""

import asyncio
import threading
from email import message_from_bytes, policy
from uuid import uuid4

import pytest
from aiosmtpd.controller import Controller

from deploy.local.process import free_port
from services.notification.adapters.channels.mail import EmailChannel
from services.notification.adapters.channels.sending import Outgoing


class CountingServer:
    """Records each message with the connection (client port) it came over; can drop every connection, or
    answer the next MAIL with 421 and close, as a server ending an idle or overused session does."""

    def __init__(self) -> None:
        self.received: list[tuple[int, object]] = []
        self.sessions: set = set()
        self.refuse_next_mail = False
        self._lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options) -> str:  # noqa: N802 - aiosmtpd's hook
        self.sessions.add(server)
        if self.refuse_next_mail:
            self.refuse_next_mail = False
            asyncio.get_running_loop().call_soon(server.transport.close)
            return "421 4.4.2 closing, idle too long"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, _server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook
        with self._lock:
            self.received.append((session.peer[1], message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"

    def drop_every_connection(self, controller: Controller) -> None:
        done = threading.Event()

        def drop() -> None:
            for session in self.sessions:
                if session.transport is not None:
                    session.transport.close()
            done.set()

        controller.loop.call_soon_threadsafe(drop)
        done.wait(5)


@pytest.fixture
def smtp():
    server = CountingServer()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield server, controller
    controller.stop()


def notice(number: int) -> Outgoing:
    subject = f"【督办】CP-2026-140724-{number:06d} 签收（P1 紧急）"
    return Outgoing(uuid4(), "supervision", uuid4(), "140724104", "dazhai@example.org", subject, f"第{number}条通知。")


async def test_several_notices_go_over_one_connection_and_read_back_as_sent(smtp):
    server, controller = smtp
    channel = EmailChannel("127.0.0.1", controller.port, "noreply@child-protection.invalid", timeout=5, connections=1)
    sent = [notice(number) for number in range(6)]
    await asyncio.gather(*(channel.send(message) for message in sent[:3]))
    for message in sent[3:]:
        await channel.send(message)
    await channel.close()

    assert len({port for port, _ in server.received}) == 1 and channel.connections.opened == 1
    by_id = {message["Message-ID"]: message for _, message in server.received}
    for message in sent:
        email = by_id[f"<{message.notification_id}@cp-notification>"]
        assert email["Subject"] == message.subject and email["To"] == "dazhai@example.org"
        assert email.get_content() == message.body + "\r\n"


@pytest.mark.parametrize("drop", ["closed", "421"])
async def test_a_connection_the_server_dropped_is_replaced_and_no_notice_is_lost(smtp, drop):
    server, controller = smtp
    channel = EmailChannel("127.0.0.1", controller.port, "noreply@child-protection.invalid", timeout=5, connections=1)
    await channel.send(notice(1))
    if drop == "closed":
        server.drop_every_connection(controller)
    else:
        server.refuse_next_mail = True
    await channel.send(notice(2))
    await channel.send(notice(3))
    await channel.close()

    ports = [port for port, _ in server.received]
    assert [message["Subject"] for _, message in server.received] == [notice(n).subject for n in (1, 2, 3)]
    assert ports[0] != ports[1] == ports[2] and channel.connections.opened == 2
