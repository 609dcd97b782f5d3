"""E-mail over SMTP: the message written as bytes, sent over connections kept open between messages."""

import aiosmtplib

from services.notification.adapters.channels.mail_message import mailbox, message_bytes, message_id
from services.notification.adapters.channels.sending import DeliveryFailed, Outgoing
from services.notification.adapters.channels.smtp_connections import SmtpConnections
from shared.events import utcnow
from shared.timezones import CHINA

LOCAL_HOSTNAME = "cp-notification"


class EmailChannel:
    """E-mail over SMTP; the Message-ID is made from the notification id and the local hostname, which is
    also the name given in EHLO (never looked up). `close` ends the connections."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        timeout: float,
        start_tls: bool = False,
        local_hostname: str = LOCAL_HOSTNAME,
        connections: int = 4,
    ) -> None:
        self._sender, self._from = mailbox(sender)
        self._local_hostname = local_hostname
        self.connections = SmtpConnections(
            lambda: aiosmtplib.SMTP(
                hostname=host, port=port, timeout=timeout, start_tls=start_tls, local_hostname=local_hostname
            ),
            size=connections,
        )

    async def send(self, message: Outgoing) -> None:
        address = message.address
        try:
            data = message_bytes(
                self._from,
                address,
                message.subject,
                message.body,
                message_id(message.notification_id, self._local_hostname),
                utcnow().astimezone(CHINA),
            )
        except ValueError:
            raise DeliveryFailed("address_unusable") from None
        options = [] if address.isascii() and self._sender.isascii() else ["SMTPUTF8"]
        try:
            await self.connections.send(self._sender, address, data, options)
        except aiosmtplib.SMTPResponseException as error:
            raise DeliveryFailed(f"smtp_{error.code}") from None
        except (aiosmtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(type(error).__name__) from None
        except ValueError:  # an address that cannot go on an SMTP command line
            raise DeliveryFailed("address_unusable") from None

    async def close(self) -> None:
        await self.connections.close()
