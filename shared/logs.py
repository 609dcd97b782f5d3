"""Process-wide logging set-up: one JSON object a line on standard output (or plain text, `LOG_FORMAT=text`,
for a person reading a terminal), with the service, the level, the logger and the ids of the work in hand
(shared/log_context.py). Code logs ids and counts, never personal data; as a second line of defence every
message and traceback is scrubbed of anything shaped like a resident ID number or a phone number."""

import logging
import re
import sys
from enum import StrEnum
from typing import Any, TextIO

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from shared.identifiers import mask_id_number, mask_phone
from shared.log_context import CONTEXT_FIELDS, ContextFilter

_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Libraries that bring their own handlers (colourised, to stderr): their records go to ours instead. Not
# uvicorn's access log, which stays off: a path or query may carry what no log should.
_OWN_HANDLERS = ("uvicorn", "uvicorn.error", "faststream", "faststream.access.kafka")


class LogFormat(StrEnum):
    JSON = "json"
    TEXT = "text"


def scrub(text: str) -> str:
    text = _ID_NUMBER.sub(lambda match: mask_id_number(match.group()), text)
    return _MOBILE.sub(lambda match: mask_phone(match.group()), text)


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(_ANSI.sub("", message))
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class _Scrubbed(logging.Formatter):
    """Tracebacks may quote values (a constraint's key, say): they are scrubbed like messages."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        return scrub(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 - logging's name
        return scrub(super().formatStack(stack_info))


class JsonLines(_Scrubbed, JsonFormatter):
    def __init__(self, service: str) -> None:
        super().__init__(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            static_fields={"service": service},
            timestamp=True,
            json_ensure_ascii=False,  # Chinese stays readable, and a leak stays findable by the privacy sweep
            reserved_attrs=[*RESERVED_ATTRS, "taskName", "color_message"],  # uvicorn's copy carries ANSI codes
        )

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        first = {key: log_data.pop(key) for key in ("timestamp", "service", "level", "logger", "message")}
        return first | {key: value for key, value in log_data.items() if value not in ("", None)}


class TextLines(_Scrubbed):
    def __init__(self, service: str) -> None:
        super().__init__(f"%(asctime)s {service} %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        ids = " ".join(f"{name}={getattr(record, name)}" for name in CONTEXT_FIELDS if getattr(record, name, None))
        line = super().format(record)
        return f"{line} [{ids}]" if ids else line


def configure_logging(
    service: str, level: str, log_format: LogFormat = LogFormat.JSON, stream: TextIO = sys.stdout
) -> None:
    """Leaves an already configured root logger alone (a test runner's, say), but scrubs it all the same.
    A command whose own output is on standard output logs to standard error instead (`stream`)."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(stream)
        handler.setFormatter(JsonLines(service) if log_format == LogFormat.JSON else TextLines(service))
        root.addHandler(handler)
        root.setLevel(level)
    for name in _OWN_HANDLERS:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    loggers = [root, *(logging.getLogger(name) for name in logging.root.manager.loggerDict)]
    for handler in {handler for logger in loggers for handler in logger.handlers}:
        for kind in (PersonalDataFilter, ContextFilter):
            if not any(isinstance(f, kind) for f in handler.filters):
                handler.addFilter(kind())
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    # httpx logs every request's URL, and a receiver's webhook URL may carry its access token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
