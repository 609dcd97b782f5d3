"""Text every column can hold. PostgreSQL's text and jsonb refuse NUL, and the other control characters and
lone surrogates break what reads the text later; tab, line feed and carriage return are text."""

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
UNSTORABLE_CODE = "control_characters"
UNSTORABLE_MESSAGE = "含有不能保存的控制字符"


def storable(value: str) -> str:
    if UNSTORABLE.search(value):
        raise PydanticCustomError(UNSTORABLE_CODE, UNSTORABLE_MESSAGE)
    return value


def text_only(value: object) -> object:
    """A date or time comes as text in JSON: a number is not read as seconds since 1970."""
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "须为日期文本（如2024-05-01）")
    return value


def not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("string_too_short", "不能为空")
    return value


def storable_text(max_length: int, min_length: int = 0) -> object:
    """Text of at most max_length characters that every column can hold; text that must be given (min_length) is
    more than white space."""
    checks = (AfterValidator(storable), AfterValidator(not_blank)) if min_length else (AfterValidator(storable),)
    return Annotated[str, Field(min_length=min_length, max_length=max_length), *checks]


def from_text(kind: object) -> object:
    """A date or datetime (or an annotated one) given as text, never as a number."""
    return Annotated[kind, BeforeValidator(text_only)]
