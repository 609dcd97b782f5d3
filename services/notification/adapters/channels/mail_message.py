"""An e-mail notice as the bytes sent after SMTP's DATA, written directly in one fixed MIME shape.

Every notice is a single text/plain part: the subject as RFC 2047 encoded words (UTF-8, base64) unless it is
short printable ASCII, the body UTF-8 in base64 lines of 76 characters, the Date in RFC 5322 form and a
Message-ID made from the notification id. Python's email parser reads back the same subject, body and
headers as `email.message.EmailMessage` would have written; building them costs microseconds instead of
its header folding's milliseconds.
"""

import base64
from datetime import datetime
from email.utils import format_datetime, formataddr, parseaddr
from uuid import UUID

_WORD_BYTES = 39  # 52 base64 characters: an encoded word and "Subject: " fit a 76-character line
_RAW_SUBJECT = 76 - len("Subject: ")
_TAIL = b'MIME-Version: 1.0\r\nContent-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'


def mailbox(sender: str) -> tuple[str, str]:
    """The envelope address and the From header of a sender given as `addr` or `Name <addr>`."""
    name, address = parseaddr(sender)
    address = address or sender.strip()
    return address, formataddr((name, address), charset="utf-8") if name else address


def checked_address(address: str) -> str:
    """An address fit for a header line: no whitespace, controls or brackets (which could add headers)."""
    if not address or any(char.isspace() or char in '<>"\x7f' or char < " " for char in address):
        raise ValueError("address not fit for a header")
    return address


def message_id(notification_id: UUID, local_hostname: str) -> str:
    return f"<{notification_id}@{local_hostname}>"


def message_bytes(from_header: str, to: str, subject: str, body: str, message_id: str, date: datetime) -> bytes:
    """The message with CRLF line ends, ready for DATA. A non-ASCII address is written as UTF-8 (the server
    must offer SMTPUTF8, which the caller asks for)."""
    head = (
        f"From: {from_header}\r\nTo: {checked_address(to)}\r\nSubject: {encoded_subject(subject)}\r\n"
        f"Message-ID: {message_id}\r\nDate: {format_datetime(date)}\r\n"
    )
    return head.encode() + _TAIL + encoded_body(body)


def encoded_subject(subject: str) -> str:
    if _plain(subject):
        return subject
    raw = subject.encode()
    words, start = [], 0
    while start < len(raw):
        end = min(start + _WORD_BYTES, len(raw))
        while end < len(raw) and raw[end] & 0xC0 == 0x80:  # never cut a character's UTF-8 bytes apart
            end -= 1
        words.append(f"=?utf-8?b?{base64.b64encode(raw[start:end]).decode()}?=")
        start = end
    return "\r\n ".join(words)


def encoded_body(body: str) -> bytes:
    """Text in its canonical form before base64 (RFC 2045): every line, the last too, ends in CRLF."""
    text = b"\r\n".join(body.encode().splitlines()) + b"\r\n"
    return base64.encodebytes(text).replace(b"\n", b"\r\n")


def _plain(subject: str) -> bool:
    """Written as it is: printable ASCII on one line, nothing a parser could take for an encoded word or trim."""
    return (
        len(subject) <= _RAW_SUBJECT
        and subject.isascii()
        and subject.isprintable()
        and "=?" not in subject
        and subject == subject.strip()
        and "  " not in subject
    )
