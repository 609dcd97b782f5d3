"""Contact fields of an organisation (station, centre, committee), checked the same way everywhere.
Blank values (an empty CSV cell) count as absent."""

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from shared.identifiers import is_phone, normalise_phone

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def _checked_name(value: str) -> str:
    if not 2 <= len(value) <= 60:
        raise PydanticCustomError("name_length", "名称须为2到60个字")
    return value


def checked_phone(value: str) -> str:
    if not is_phone(value):
        raise PydanticCustomError("phone_format", "电话号码格式不正确（手机11位，座机须带区号）")
    return value


def _checked_email(value: str) -> str:
    if len(value) > 254 or not _EMAIL.fullmatch(value):
        raise PydanticCustomError("email_format", "电子邮箱格式不正确")
    return value


def _checked_webhook_url(value: str) -> str:
    parts = urlsplit(value)
    if len(value) > 500 or parts.scheme not in ("http", "https") or not parts.hostname:
        raise PydanticCustomError("url_format", "须为http或https网址")
    return value


def _stripped(value: object) -> object:
    return value.strip() or None if isinstance(value, str) else value


Name = Annotated[str, BeforeValidator(lambda v: v.strip() if isinstance(v, str) else v), AfterValidator(_checked_name)]
ContactName = Annotated[Annotated[str, Field(max_length=50)] | None, BeforeValidator(_stripped)]
Phone = Annotated[
    Annotated[
        str, BeforeValidator(lambda v: normalise_phone(v) if isinstance(v, str) else v), AfterValidator(checked_phone)
    ]
    | None,
    BeforeValidator(_stripped),
]
Email = Annotated[Annotated[str, AfterValidator(_checked_email)] | None, BeforeValidator(_stripped)]
WebhookUrl = Annotated[Annotated[str, AfterValidator(_checked_webhook_url)] | None, BeforeValidator(_stripped)]
# A person's name (a village's child director, a pairing helper): Chinese or Latin letters, words one space apart,
# · between the parts of a transcribed name (阿依古丽·买买提).
PERSON_NAME_PATTERN = r"^[\u3400-\u4dbf\u4e00-\u9fffA-Za-z·]+( [\u3400-\u4dbf\u4e00-\u9fffA-Za-z·]+)*$"
PersonName = Annotated[
    str,
    BeforeValidator(lambda v: v.strip() if isinstance(v, str) else v),
    Field(max_length=50, pattern=PERSON_NAME_PATTERN),
]
