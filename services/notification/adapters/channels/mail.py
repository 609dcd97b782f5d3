"""E-mail over SMTP."""

from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib

from services.notification.adapters.channels.sending import DeliveryFailed, Outgoing
from shared.events import utcnow
from shared.timezones import CHINA


class EmailChannel:
    """E-mail over SMTP; the Message-ID is made from the notification id."""

    def __init__(self, host: str, port: int, sender: str, timeout: float, start_tls: bool = False) -> None:
        self._host, self._port, self._sender = host, port, sender
        self._timeout, self._start_tls = timeout, start_tls

    async def send(self, message: Outgoing) -> None:
        email = EmailMessage()
        email["From"] = self._sender
        email["To"] = message.address
        email["Subject"] = message.subject
        email["Message-ID"] = f"<{message.notification_id}@cp-notification>"
        email["Date"] = format_datetime(utcnow().astimezone(CHINA))
        email.set_content(message.body)
        try:
            await aiosmtplib.send(
                email,
                hostname=self._host,
                port=self._port,
                timeout=self._timeout,
                start_tls=self._start_tls,
            )
        except aiosmtplib.SMTPResponseException as error:
            raise DeliveryFailed(f"smtp_{error.code}") from None
        except (aiosmtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(type(error).__name__) from None
