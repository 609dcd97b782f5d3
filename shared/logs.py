"""Process-wide logging set-up. Code logs ids and counts, never personal data; as a second line of
defence every record is scrubbed of anything shaped like a resident ID number or a phone number."""

import logging
import re

from shared.identifiers import mask_id_number, mask_phone

_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def scrub(text: str) -> str:
    text = _ID_NUMBER.sub(lambda match: mask_id_number(match.group()), text)
    return _MOBILE.sub(lambda match: mask_phone(match.group()), text)


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_logging(service: str, level: str) -> None:
    # Leaves an already configured root logger alone (a test runner's, say), but scrubs it all the same.
    logging.basicConfig(level=level, format=f"%(asctime)s {service} %(levelname)s %(name)s: %(message)s")
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in logging.root.manager.loggerDict)]
    for handler in {handler for logger in loggers for handler in logger.handlers}:
        if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
            handler.addFilter(PersonalDataFilter())
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    # httpx logs every request's URL, and a receiver's webhook URL may carry its access token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
